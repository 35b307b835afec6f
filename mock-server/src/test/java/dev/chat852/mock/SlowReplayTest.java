package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.protocol.ChatApi;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Failure 8 end to end: a replay slowed down past what nanoseconds can hold waits; it never answers at once. */
class SlowReplayTest {

    @Test
    void aReplaySlowedDownPastTheLongestWaitDoesNotAnswerAtOnce() throws Exception {
        RecordedResponse answer = RecordedResponse.builder().headersDelayMs(1).chunk(0, "x").build();
        try (MockServer server = MockServer.builder().speed(1e-15).recording(Recording.of(answer)).build().start();
             Socket socket = new Socket(server.baseUri().getHost(), server.port())) {
            byte[] body = RawHttp.chat("gpt-4", null, true, "user", "hi").getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            socket.setSoTimeout(700);

            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
        }
    }
}
