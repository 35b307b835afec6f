package dev.chat852.mock;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.protocol.ChatApi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A replay's bytes exactly as they leave the server: the chunk framing (size in lower-case hex, CRLF,
 * the bytes, CRLF), the end of the body, and no body at all where HTTP allows none.
 */
class ReplayWireBytesTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final AtomicReference<MockResponse> next = new AtomicReference<>();
    private final MockServer server = MockServer.builder().speed(0).dispatcher(request -> next.get()).build().start();

    @AfterEach
    void close() {
        server.close();
    }

    /** One request that asks the server to close after answering, and everything that came back. */
    private String reply(RecordedResponse response) throws Exception {
        return reply(server, response);
    }

    private String reply(MockServer server, RecordedResponse response) throws Exception {
        next.set(MockResponse.builder(response).build());
        String json = "{\"model\":\"gpt-4\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"params\":{\"stream\":true}}";
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), (head + json).getBytes(StandardCharsets.UTF_8), WAIT);
        assertThat(reply.closedByServer()).as("the server closed after the answer").isTrue();
        return reply.text();
    }

    private static String bodyOf(String reply) {
        return reply.substring(reply.indexOf("\r\n\r\n") + 4);
    }

    private static byte[] filled(int size, char c) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) c);
        return b;
    }

    @Test
    void eachChunkIsItsSizeInLowerCaseHexThenItsBytesThenTheEmptyLastChunk() throws Exception {
        RecordedResponse r = RecordedResponse.builder()
                .chunk(0, "a")
                .chunk(0, filled(15, 'b'))
                .chunk(0, filled(16, 'c'))
                .chunk(0, filled(0xabc, 'd'))
                .chunk(0, filled(0x10000, 'e'))
                .build();

        String body = bodyOf(reply(r));

        assertThat(body).isEqualTo("1\r\na\r\n"
                + "f\r\n" + "b".repeat(15) + "\r\n"
                + "10\r\n" + "c".repeat(16) + "\r\n"
                + "abc\r\n" + "d".repeat(0xabc) + "\r\n"
                + "10000\r\n" + "e".repeat(0x10000) + "\r\n"
                + "0\r\n\r\n");
    }

    @Test
    void aChunkSplitBetweenRecordedChunksIsFramedAsOneWithTheBytesInOrder() throws Exception {
        RecordedResponse r = RecordedResponse.builder()
                .chunk(0, new byte[] {(byte) 0xE4, (byte) 0xBD})
                .chunk(0, new byte[] {(byte) 0xA0})
                .chunk(0, "xyz")
                .fault(Fault.stall(1, 0))
                .build();

        String body = bodyOf(reply(r));

        // cut after byte 1 (the stall), after byte 2 (a recorded end) and at 3: 1 + 1 + 1 + 3 bytes
        assertThat(body.getBytes(ISO_8859_1)).isEqualTo(("1\r\n\u00e4\r\n" + "1\r\n\u00bd\r\n" + "1\r\n\u00a0\r\n"
                + "3\r\nxyz\r\n0\r\n\r\n").getBytes(ISO_8859_1));
    }

    @Test
    void aRechunkedSegmentSpanningRecordedChunksCarriesTheirBytesInOrder() throws Exception {
        RecordedResponse r = RecordedResponse.builder().chunk(0, "ab").chunk(0, "").chunk(0, "cdefg").chunk(0, "h").build();
        try (MockServer fours = MockServer.builder().speed(0).rechunk(Rechunk.fixed(4))
                .dispatcher(request -> MockResponse.builder(r).build()).build().start()) {
            String body = bodyOf(reply(fours, r));

            assertThat(body).isEqualTo("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {204, 205, 304})
    void aStatusThatHasNoBodyIsSentWithoutTheRecordedChunks(int status) throws Exception {
        RecordedResponse r = RecordedResponse.builder().status(status).chunk(0, "never").chunk(0, "sent").build();

        String reply = reply(r);

        assertThat(reply).startsWith("HTTP/1.1 " + status + " ").doesNotContain("never", "sent");
        assertThat(bodyOf(reply)).as("status %d: nothing after the head", status).isEmpty();
    }
}
