package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} thrown by the handler on an I/O thread (an {@code OutOfMemoryError} while the answer
 * is decoded, above all) ends the exchange at once with that error and closes its connection: it is
 * never swallowed into a call that waits for its idle timeout, and the transport goes on serving.
 */
class JdkTransportHandlerErrorTest {

    @Test
    void anErrorThrownFromOnBodyFailsTheExchangeAtOnceAndClosesTheConnection() throws Exception {
        OutOfMemoryError oom = new OutOfMemoryError("simulated: Java heap space");
        try (HostileServer server = HostileServer.interactive(); JdkTransport transport = JdkTransport.create()) {
            Recorder recorder = new Recorder() {
                @Override
                void body(byte[] chunk) {
                    throw oom;
                }
            };
            transport.execute(TestRequests.post(server.uri("/chat")), recorder).request(Long.MAX_VALUE);
            Peer conn = server.accept();
            conn.readRequest();
            conn.chunkedHead(200, "text/event-stream").chunk("endless ");

            assertThat(recorder.awaitEnd()).isSameAs(oom); // within TestRequests.WAIT, not an idle timeout
            assertThat(conn.awaitClose(TestRequests.WAIT)).isTrue();

            Recorder next = new Recorder();
            transport.execute(TestRequests.post(server.uri("/chat")), next).request(Long.MAX_VALUE);
            Peer second = server.accept();
            second.readRequest();
            second.chunkedHead(200, "text/event-stream").chunk("still serving").endChunks();
            assertThat(next.awaitEnd()).isNull();
            assertThat(next.bodyString()).isEqualTo("still serving");
        }
    }

    @Test
    void anErrorThrownFromOnResponseFailsTheExchangeAtOnce() throws Exception {
        StackOverflowError error = new StackOverflowError("simulated");
        try (HostileServer server = HostileServer.interactive(); JdkTransport transport = JdkTransport.create()) {
            Recorder recorder = new Recorder() {
                @Override
                public void onResponse(int status, java.util.Map<String, java.util.List<String>> headers) {
                    throw error;
                }
            };
            transport.execute(TestRequests.post(server.uri("/chat")), recorder).request(Long.MAX_VALUE);
            Peer conn = server.accept();
            conn.readRequest();
            conn.chunkedHead(200, "text/event-stream").chunk("x");
            assertThat(recorder.awaitEnd()).isSameAs(error);
            assertThat(conn.awaitClose(Duration.ofSeconds(10))).isTrue();
        }
    }
}
