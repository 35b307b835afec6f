package dev.chat852.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.ChatClient;
import dev.chat852.mock.MockConnection;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.ReceivedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * What every suite of the kit shares: a fresh {@link MockServer} (checking {@link Tck#TOKEN}, recorded
 * timing), a transport from the {@link TransportTck} and a client for each case, all closed after it;
 * scripting the server case by case; and the checks the cases repeat.
 *
 * <p>The server answers from a queue of {@link MockResponse}s the case {@linkplain #enqueue enqueues},
 * then by the request's user message ({@link #route}); anything else it answers with its 404, which
 * makes the request unmatched.
 */
abstract class TckCase {
    protected final TransportTck tck;
    protected MockServer server;
    protected Transport transport;
    protected ChatClient client;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ConcurrentLinkedQueue<MockResponse> queue = new ConcurrentLinkedQueue<>();
    private volatile Map<String, MockResponse> routes = Map.of();
    private volatile MockResponse otherwise;

    TckCase(TransportTck tck) {
        this.tck = tck;
    }

    @BeforeEach
    final void startServerTransportAndClient(TestInfo test) {
        tck.skipIfKnownGap(test);
        server = MockServer.builder().token(Tck.TOKEN).dispatcher(request -> {
            MockResponse next = queue.poll();
            if (next != null) {
                return next;
            }
            MockResponse routed = routes.get(lastUserMessage(request));
            return routed != null ? routed : otherwise;
        }).build().start();
        transport = tck.newTransport();
        client = clientBuilder(transport).build();
    }

    @AfterEach
    final void closeClientTransportAndServer() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        toClose.clear();
        // Any of them may be missing: a known gap skips the case before they are made.
        try {
            if (client != null) {
                client.close();
            }
        } finally {
            try {
                if (transport != null) {
                    transport.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    private static String lastUserMessage(ReceivedRequest request) {
        String last = null;
        for (var m : request.messages()) {
            if (m.role().equals("user")) {
                last = m.content();
            }
        }
        return last == null ? "" : last;
    }

    /** Answers the next request not answered by an earlier one with {@code response}. */
    protected final TckCase enqueue(MockResponse response) {
        queue.add(response);
        return this;
    }

    /** {@link #enqueue(MockResponse)} of a response with no wire options. */
    protected final TckCase enqueue(RecordedResponse response) {
        return enqueue(MockResponse.of(response));
    }

    /**
     * Answers requests the queue does not: one whose user message is a key of {@code byUserMessage}
     * with its response (as often as it comes), any other with {@code otherwise}, or, if null, the
     * server's 404 (the request is then unmatched).
     */
    protected final void route(Map<String, MockResponse> byUserMessage, MockResponse otherwise) {
        this.routes = Map.copyOf(byUserMessage);
        this.otherwise = otherwise;
    }

    /** The next request the server received, waiting up to {@link Tck#WAIT}; fails if none came. */
    protected final ReceivedRequest takeRequest() throws InterruptedException {
        ReceivedRequest r = server.takeRequest(Tck.WAIT);
        assertThat(r).as("a request reaching the mock within %s ms", Tck.WAIT.toMillis()).isNotNull();
        return r;
    }

    /** A builder for a client of the case's server with the test token, on {@code transport}. */
    protected final ChatClient.Builder clientBuilder(Transport transport) {
        return ChatClient.builder().transport(transport).baseUrl(baseUrl()).token(Tck.TOKEN);
    }

    /** {@code http://127.0.0.1:<port>} of the case's server. */
    protected final String baseUrl() {
        return server.baseUri().toString();
    }

    /** Another client on the case's transport, configured by {@code settings}; closed after the case. */
    protected final ChatClient newClient(Consumer<ChatClient.Builder> settings) {
        ChatClient.Builder b = clientBuilder(transport);
        settings.accept(b);
        return closeLater(b.build());
    }

    /** Closes {@code resource} after the case (before its client, transport and server). */
    protected final <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** If the transport reports leased connections, waits until none is leased. */
    protected final void assertConnectionsReleased() {
        assertReleased(transport);
    }

    /** {@link #assertConnectionsReleased()} for another transport of the case. */
    protected final void assertReleased(Transport t) {
        if (tck.leasedConnections(t).isPresent()) {
            await("the transport's leased connections to return to 0").atMost(Tck.CLOSE_WAIT)
                    .pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> assertThat(tck.leasedConnections(t)).as("leased").isEqualTo(OptionalInt.of(0)));
        }
    }

    /** Waits until the server has accepted exactly one connection and the client has closed (or reset) it. */
    protected final void awaitTheOnlyConnectionClosedByClient() {
        await("the server to see the connection").atMost(Tck.WAIT).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(server.connections()).hasSize(1));
        awaitClosedByClient(server.connections().get(0));
    }

    /** Waits until the server has accepted connection number {@code index} (from 0) and the client has closed it. */
    protected final void awaitClosedByClient(int index) {
        await("the server to accept connection #" + index).atMost(Tck.WAIT).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(server.connections()).hasSizeGreaterThan(index));
        awaitClosedByClient(server.connections().get(index));
    }

    private static void awaitClosedByClient(MockConnection connection) {
        await("the client to close " + connection).atMost(Tck.CLOSE_WAIT).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(connection.isOpen()).as("%s open", connection).isFalse());
        assertThat(connection.closedByClient()).as("%s closed by the client", connection).isTrue();
    }

    /** How many of the server's connections are open. */
    protected final long openConnections() {
        return server.connections().stream().filter(MockConnection::isOpen).count();
    }

    /**
     * Waits until the server's writes on {@code connection} make no progress for {@code quiet} (its
     * socket writes are blocked), or the connection is closed; returns the body bytes sent by then.
     */
    protected static long awaitStalled(MockConnection connection, Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long sent = connection.bodyBytesSent();
            if (!connection.isOpen()) {
                return sent;
            }
            if (sent != last) {
                last = sent;
                lastChange = now;
            } else if (sent > 0 && now - lastChange >= quiet.toNanos()) {
                return sent;
            }
            if (now - deadline > 0) {
                throw new AssertionError("the server's writes kept progressing for " + timeout.toMillis()
                        + " ms: " + sent + " body bytes sent");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The length of {@code text} in UTF-8. */
    protected static int utf8Length(String text) {
        return text.getBytes(UTF_8).length;
    }
}
