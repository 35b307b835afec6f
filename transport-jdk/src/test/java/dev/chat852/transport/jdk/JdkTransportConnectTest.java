package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chat852.ChatTimeoutException;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failures before the response: connect timeout (typed), refused connections; timeouts per request. */
class JdkTransportConnectTest {
    private final JdkTransport transport = JdkTransport.create();

    @AfterEach
    void tearDown() {
        transport.close();
    }

    @Test
    void aConnectTimeoutIsReportedAsChatTimeoutExceptionOfKindConnect() throws Exception {
        // A listening socket that never accepts and whose accept queue is full: the kernel drops further
        // SYNs, so a connect hangs, on loopback, with no network needed.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<Socket> fillers = new ArrayList<>();
            try {
                assumeTrue(fillAcceptQueue(full, fillers), "could not fill the accept queue on this OS");
                Duration timeout = Duration.ofMillis(300);
                Recorder recorder = new Recorder();
                URI uri = URI.create("http://127.0.0.1:" + full.getLocalPort() + "/");

                long start = System.nanoTime();
                transport.execute(TestRequests.post(uri, timeout), recorder).request(Long.MAX_VALUE);
                Throwable error = recorder.awaitEnd();
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(error).isInstanceOf(ChatTimeoutException.class);
                ChatTimeoutException e = (ChatTimeoutException) error;
                assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT);
                assertThat(e.timeout()).isEqualTo(timeout);
                assertThat(took).isGreaterThanOrEqualTo(timeout).isLessThan(Duration.ofSeconds(5));
                assertThat(recorder.status).isNotDone();
                assertThat(recorder.violations()).isEmpty();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    private static boolean fillAcceptQueue(ServerSocket server, List<Socket> fillers) throws IOException {
        for (int i = 0; i < 64; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 200);
                fillers.add(s);
            } catch (SocketTimeoutException e) {
                s.close();
                return true;
            }
        }
        return false;
    }

    @Test
    void aRefusedConnectionIsReportedAsItIs() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        Recorder recorder = new Recorder();

        transport.execute(TestRequests.post(URI.create("http://127.0.0.1:" + port + "/")), recorder);

        Throwable error = recorder.awaitEnd();
        assertThat(error).isInstanceOf(ConnectException.class).isNotInstanceOf(ChatTimeoutException.class);
        assertThat(recorder.status).isNotDone();
        assertThat(recorder.violations()).isEmpty();
    }

    @Test
    void requestsWithDifferentConnectTimeoutsAndNoneAtAllAllSucceed() throws Exception {
        try (HostileServer server = HostileServer.interactive()) {
            for (Duration timeout : List.of(Duration.ZERO, Duration.ofSeconds(3), Duration.ofMillis(2500),
                    Duration.ZERO)) {
                Recorder recorder = new Recorder();
                transport.execute(TestRequests.post(server.uri("/"), timeout), recorder).request(Long.MAX_VALUE);
                Peer conn = server.accept();
                conn.readRequest();
                conn.head(200, "Content-Type: text/plain", "Content-Length: 2", "Connection: close").raw("ok");
                assertThat(recorder.awaitEnd()).isNull();
                assertThat(recorder.bodyString()).isEqualTo("ok");
            }
            assertThat(transport.toString()).contains("clients=3");
        }
    }
}
