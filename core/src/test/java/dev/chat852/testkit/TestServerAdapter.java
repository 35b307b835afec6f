package dev.chat852.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kit's default server: a {@link TestServer} (raw sockets, every write under the script's
 * control), which has every {@link KitServer.Capability} and plays scripts as they are. Requests are
 * answered by the adapter's dispatcher: the token check, then the queue, then the routes; the queue
 * is the adapter's, not the server's, so that a refused token does not use up a queued answer.
 */
public final class TestServerAdapter implements KitServer {
    /** The API's answer to a wrong or missing token, as the mock server assumes it (HTTP 200). */
    static final String BAD_TOKEN_JSON = "{\"code\":401,\"message\":\"token无效\",\"data\":null}";

    private final TestServer server;
    private final String token;
    private final ConcurrentLinkedQueue<KitResponse> queue = new ConcurrentLinkedQueue<>();
    private final List<TestServer.Request> refused = new CopyOnWriteArrayList<>();
    private volatile Map<String, KitResponse> routes = Map.of();
    private volatile KitResponse otherwise;
    private volatile boolean routed;

    /** Starts a {@link TestServer} that expects {@code token} in every request. */
    public TestServerAdapter(String token) throws IOException {
        this(new TestServer(), token);
    }

    /** Serves through {@code server} (which it closes), expecting {@code token} in every request. */
    public TestServerAdapter(TestServer server, String token) {
        this.server = Objects.requireNonNull(server, "server");
        this.token = Objects.requireNonNull(token, "token");
        server.dispatcher(this::dispatch);
    }

    /** The raw server, for what the kit abstraction does not cover. */
    public TestServer testServer() {
        return server;
    }

    private KitResponse dispatch(TestServer.Request request) {
        JsonNode json = request.json();
        JsonNode sent = json == null ? null : json.get("token");
        if (sent == null || !sent.isTextual() || !sent.asText().equals(token)) {
            refused.add(request);
            return KitResponse.json(200, BAD_TOKEN_JSON);
        }
        KitResponse queued = queue.poll();
        if (queued != null) {
            return queued;
        }
        JsonNode messages = json.path("messages");
        if (messages.size() == 1 && "user".equals(messages.path(0).path("role").asText())) {
            KitResponse r = routes.get(messages.path(0).path("content").asText());
            if (r != null) {
                return r;
            }
        }
        return otherwise; // null: the TestServer answers 500 and lists the request as unmatched
    }

    @Override
    public String name() {
        return "TestServer";
    }

    @Override
    public Set<Capability> capabilities() {
        return EnumSet.allOf(Capability.class);
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public KitServer enqueue(KitResponse response) {
        queue.add(Objects.requireNonNull(response, "response"));
        return this;
    }

    @Override
    public KitServer route(Map<String, KitResponse> byUserMessage, KitResponse otherwise) {
        if (routed) {
            throw new IllegalStateException("route(...) may be called once per test");
        }
        routed = true;
        this.routes = Map.copyOf(byUserMessage);
        this.otherwise = otherwise;
        return this;
    }

    @Override
    public KitRequest takeRequest(Duration timeout) throws InterruptedException {
        return new Request(server.takeRequest(timeout));
    }

    @Override
    public List<KitRequest> requests() {
        List<KitRequest> all = new ArrayList<>();
        server.requests().forEach(r -> all.add(new Request(r)));
        return all;
    }

    @Override
    public List<KitRequest> unmatchedRequests() {
        List<KitRequest> all = new ArrayList<>();
        server.requests().stream().filter(r -> refused.contains(r) || server.unmatchedRequests().contains(r))
                .forEach(r -> all.add(new Request(r)));
        return all;
    }

    @Override
    public List<KitConnection> connections() {
        List<KitConnection> all = new ArrayList<>();
        server.connections().forEach(c -> all.add(new Connection(c)));
        return all;
    }

    @Override
    public int openConnections() {
        return server.openConnections();
    }

    @Override
    public List<KitExchange> exchanges() {
        List<KitExchange> all = new ArrayList<>();
        for (TestServer.Exchange e : server.exchanges()) {
            all.add(new KitExchange() {
                @Override
                public long bodyBytesWritten() {
                    return e.bodyBytesWritten();
                }

                @Override
                public boolean responseComplete() {
                    return e.responseComplete();
                }

                @Override
                public KitConnection connection() {
                    return new Connection(e.connection());
                }

                @Override
                public String toString() {
                    return e.request() + " on " + e.connection() + ", " + e.bodyBytesWritten() + " body bytes written";
                }
            });
        }
        return all;
    }

    @Override
    public boolean ownsThread(String threadName) {
        return threadName.startsWith("testserver-");
    }

    /** The requests' descriptions only: a raw test server keeps whole bodies, token included, by design. */
    @Override
    public List<String> retainedTexts() {
        List<String> texts = new ArrayList<>();
        texts.add(server.toString());
        server.requests().forEach(r -> texts.add(r.toString()));
        return texts;
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return server.toString();
    }

    /** A {@link TestServer.Request} seen through the kit: the token apart from the rest of the body. */
    private static final class Request implements KitRequest {
        private final TestServer.Request request;

        Request(TestServer.Request request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String path() {
            return request.path();
        }

        @Override
        public String header(String name) {
            return request.header(name);
        }

        @Override
        public JsonNode json() {
            JsonNode json = request.json();
            if (json == null) {
                return null;
            }
            JsonNode copy = json.deepCopy();
            if (copy instanceof ObjectNode) {
                ((ObjectNode) copy).remove("token");
            }
            return copy;
        }

        @Override
        public Optional<String> token() {
            JsonNode json = request.json();
            JsonNode token = json == null ? null : json.get("token");
            return token == null || token.isNull() ? Optional.empty() : Optional.of(token.asText());
        }

        @Override
        public String toString() {
            return request.toString();
        }
    }

    private static final class Connection implements KitConnection {
        private final TestServer.Connection connection;

        Connection(TestServer.Connection connection) {
            this.connection = connection;
        }

        @Override
        public boolean isClosed() {
            return connection.isClosed();
        }

        @Override
        public boolean closedByClient() {
            return connection.closedByClient();
        }

        @Override
        public String toString() {
            return connection.toString();
        }
    }
}
