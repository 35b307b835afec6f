package dev.chat852.tck;

import static dev.chat852.tck.Tck.HEADER_BLOCK;
import static dev.chat852.tck.Tck.PART;
import static dev.chat852.tck.Tck.TEXT;
import static dev.chat852.tck.Tck.await;
import static dev.chat852.tck.Tck.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.mock.Gate;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Timeouts: connect, first byte and idle, each of the client's and a request's own; a stalled server
 * leads to the right kind, and the client closes the connection it gave up on.
 */
abstract class TimeoutsSuite extends TckCase {

    TimeoutsSuite(TransportTck tck) {
        super(tck);
    }

    /** {@code text} in one write, then nothing until the client goes (a gate that never opens). */
    static MockResponse stallingAfter(String text) {
        return MockResponse.builder(RecordedResponse.builder().chunk(0, text).build())
                .hold(utf8Length(text), new Gate()).build();
    }

    /** Nothing at all, not even the status line, until the client goes. */
    static MockResponse stallingBeforeTheStatus() {
        return MockResponse.builder(Tck.stream(Tck.BODY, 64)).hold(new Gate()).build();
    }

    @Test
    void stalledBodyFailsWithIdleTimeoutAndClosesTheConnection() throws Exception {
        enqueue(stallingAfter(HEADER_BLOCK + PART)); // one write: no gap
        ChatClient impatient = newClient(b -> b.idleTimeout(Duration.ofMillis(300)));
        RecordingListener listener = new RecordingListener();

        long start = System.nanoTime();
        ChatStream stream = impatient.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE);
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(stream.received().text()).isEqualTo(PART);
        awaitClosedByClient(0);
        assertConnectionsReleased();
    }

    @Test
    void slowStatusLineFailsWithFirstByteTimeoutAndClosesTheConnection() throws Exception {
        enqueue(stallingBeforeTheStatus());
        ChatClient impatient = newClient(b -> b.firstByteTimeout(Duration.ofMillis(300)));

        ChatStream stream = impatient.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE);
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
        });
        assertThat(stream.received().timeToFirstByte()).isEmpty();
        awaitTheOnlyConnectionClosedByClient();
        assertConnectionsReleased();
    }

    @Test
    void requestIdleTimeoutOverridesTheClientsLongerOne() throws Exception {
        enqueue(stallingAfter(HEADER_BLOCK + PART));
        ChatRequest request = ChatRequest.builder().user("你好").idleTimeout(Duration.ofMillis(300)).build();

        ChatStream stream = client.stream(request); // the client's idle timeout is the default, 60 s
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE);
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
        });
        assertThat(stream.received().text()).isEqualTo(PART);
    }

    @Test
    void requestTimeoutsOverrideTheClientsShorterOnesToAllowASlowAnswer() throws Exception {
        enqueue(RecordedResponse.builder().headersDelayMs(700).chunk(0, HEADER_BLOCK).chunk(0, PART)
                .chunk(700, TEXT).chunk(0, "undefined").build());
        ChatClient impatient = newClient(b -> b.firstByteTimeout(Duration.ofMillis(300))
                .idleTimeout(Duration.ofMillis(300)));
        ChatRequest patient = ChatRequest.builder().user("你好")
                .firstByteTimeout(Duration.ofSeconds(20)).idleTimeout(Duration.ofSeconds(20)).build();

        ChatCompletion completion = await(impatient.stream(patient).completion());

        assertThat(completion.text()).isEqualTo(PART + TEXT);
        assertThat(completion.timeToFirstByte().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    void unacceptedConnectionFailsWithConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean saturated = false;
                for (int i = 0; i < 16 && !saturated; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        // Generous: a loopback handshake slowed by a busy machine must not pass for a full
                        // backlog, or the client's connection then succeeds and the case times out later.
                        s.connect(full.getLocalSocketAddress(), 1_000);
                    } catch (SocketTimeoutException e) {
                        saturated = true;
                    }
                }
                assumeTrue(saturated, "this OS completes connections beyond the listen backlog: cannot provoke a"
                        + " connect timeout locally");
                ChatClient c = closeLater(ChatClient.builder().transport(transport)
                        .baseUrl("http://127.0.0.1:" + full.getLocalPort()).token(Tck.TOKEN)
                        .connectTimeout(Duration.ofMillis(300)).firstByteTimeout(Duration.ofSeconds(25)).build());

                Throwable error = failureOf(c.stream(ChatRequest.of("你好")).completion());

                assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class,
                        e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT));
                assertConnectionsReleased();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }
}
