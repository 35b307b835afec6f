package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * On JDK 17 {@code HttpClient} cannot be closed: its selector thread and pooled connections end once it
 * is unreachable. The transport must therefore keep no reference to it after {@code close()}, and a
 * transport dropped without {@code close()} must not keep it reachable either.
 */
class JdkTransportReleaseTest {

    @ParameterizedTest(name = "closed first: {0}")
    @ValueSource(booleans = {true, false})
    void anUnreachableTransportLeavesNoJdkSelectorThreadOrPooledConnection(boolean closeFirst) throws Exception {
        try (HostileServer server = HostileServer.interactive()) {
            Set<Thread> before = selectorThreads();
            Peer pooled = useAndDrop(server, closeFirst);

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean connectionClosed = false;
            Set<Thread> left;
            do {
                System.gc();
                connectionClosed = connectionClosed || pooled.awaitClose(Duration.ofMillis(200));
                left = selectorThreads();
                left.removeAll(before);
            } while ((!connectionClosed || !left.isEmpty()) && System.nanoTime() < deadline);

            assertThat(left).as("JDK selector threads still alive").isEmpty();
            assertThat(connectionClosed).as("the pooled connection was closed").isTrue();
        }
    }

    /** One exchange read to its end, so that its connection stays in the JDK's pool; then let go. */
    private static Peer useAndDrop(HostileServer server, boolean close) throws Exception {
        JdkTransport transport = JdkTransport.create();
        Recorder recorder = new Recorder();
        transport.execute(TestRequests.post(server.uri("/")), recorder).request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/plain").chunk("kept alive").endChunks();
        assertThat(recorder.awaitEnd()).isNull();
        assertThat(conn.awaitClose(Duration.ofMillis(100))).as("pooled, still open").isFalse();
        if (close) {
            transport.close();
        }
        return conn;
    }

    private static Set<Thread> selectorThreads() throws IOException {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().matches("HttpClient-\\d+-SelectorManager") && t.isAlive())
                .collect(Collectors.toSet());
    }
}
