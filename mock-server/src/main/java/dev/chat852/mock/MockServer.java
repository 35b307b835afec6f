package dev.chat852.mock;

import dev.chat852.mock.internal.ConnectionLog;
import dev.chat852.mock.internal.MockHandler;
import dev.chat852.mock.internal.NettyServer;
import dev.chat852.mock.internal.RecordingStore;
import dev.chat852.mock.internal.RequestLog;
import dev.chat852.protocol.ChatApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A local stand-in for the chat API that replays {@link Recording}s over HTTP/1.1: each recorded chunk
 * is its own HTTP chunk, flushed at its recorded time (scaled by {@code speed}), optionally re-cut
 * ({@link Rechunk}) and broken on purpose ({@link Fault}). All timing uses event-loop timers, so
 * thousands of slow streams need no thread each.
 *
 * <p>It serves {@code POST /api/light/chat/createChatCompletion}, and {@code POST /v1/chat/completions} from
 * recordings of the OpenAI dialect. A request is answered by the {@link Dispatcher}, if one is set and
 * returns a {@link MockResponse}; otherwise by the first recording of its dialect that matches its model
 * and messages: one-shot recordings from {@link #enqueue} first, then those from {@link #add} (newest
 * first), then the builder's in order. An unmatched request gets HTTP
 * 404 with a JSON body naming what was asked and which recordings exist. {@code "params":{"stream":false}}
 * gets the documented non-stream JSON wrapper built from the recording. With {@link Builder#token} set,
 * a wrong or missing token gets {@code {"code":401,"message":"token无效","data":null}} on HTTP 200.
 * Every response allows any origin (CORS), and {@code OPTIONS} preflights are answered.
 *
 * <pre>{@code
 * try (MockServer server = MockServer.builder()
 *         .recordings(Path.of("recordings"))
 *         .speed(2)
 *         .rechunk(Rechunk.parse("random:7"))
 *         .fault(Fault.parse("stall:100:2000"))
 *         .build()
 *         .start()) {
 *     URI endpoint = server.endpoint();   // http://127.0.0.1:PORT/api/light/chat/createChatCompletion
 *     ...
 *     assertThat(server.requests()).hasSize(1);
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} stops the server and ends its threads before returning.
 */
public final class MockServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");

    private final String host;
    private final int requestedPort;
    private final double speed;
    private final Rechunk rechunk;
    private final List<Fault> faults;
    private final String token;
    private final int maxRequestBytes;
    private final RecordingStore recordings;
    private final RequestLog requests;
    /** Open connections, and closed ones up to the request log's limit. */
    private final ConnectionLog connections;
    private final Dispatcher builderDispatcher;
    private volatile Dispatcher dispatcher;

    private NettyServer netty;
    private boolean closed;

    private MockServer(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.speed = b.speed;
        this.rechunk = b.rechunk;
        this.faults = List.copyOf(b.faults);
        this.token = b.token;
        this.maxRequestBytes = b.maxRequestBytes;
        this.recordings = new RecordingStore(b.recordings);
        this.requests = new RequestLog(b.requestLogLimit);
        this.connections = new ConnectionLog(b.requestLogLimit);
        this.builderDispatcher = b.dispatcher;
        this.dispatcher = b.dispatcher;
    }

    /** A builder: loopback, a free port, no recordings, recorded timing, no token check. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @return this server, for {@code builder()...build().start()}
     * @throws IllegalStateException if already started or closed
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public synchronized MockServer start() {
        if (closed || netty != null) {
            throw new IllegalStateException(closed ? "server is closed" : "server already started");
        }
        ServerBackend backend = new ServerBackend(this, speed, rechunk, faults, token, recordings, requests,
                connections, () -> dispatcher);
        netty = NettyServer.start(host, requestedPort, "chat852-mock", maxRequestBytes,
                () -> new MockHandler(backend));
        LOG.log(System.Logger.Level.DEBUG, "chat852 mock serving {0} recording(s) at {1}", recordings.initial().size(), endpoint());
        return this;
    }

    /** The port listened on (the real one when the builder asked for 0). */
    public synchronized int port() {
        if (netty == null) {
            throw new IllegalStateException("server not started");
        }
        return netty.address().getPort();
    }

    /** {@code http://HOST:PORT}: the base URL to give a client. */
    public synchronized URI baseUri() {
        if (netty == null) {
            throw new IllegalStateException("server not started");
        }
        return netty.baseUri(host);
    }

    /** The chat endpoint's full URL. */
    public URI endpoint() {
        return URI.create(baseUri() + ChatApi.PATH);
    }

    /** Answers the next matching request with {@code recording}, once, before any other recording. */
    public MockServer enqueue(Recording recording) {
        recordings.enqueue(recording);
        return this;
    }

    /** Adds a recording that is checked before every earlier one, until {@link #reset()}. */
    public MockServer add(Recording recording) {
        recordings.add(recording);
        return this;
    }

    /**
     * Asks {@code dispatcher} first for every chat request from now on (null: none), until
     * {@link #reset()} puts back the builder's. See {@link Dispatcher}.
     */
    public MockServer dispatcher(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
        return this;
    }

    /** Every recording in matching order: unused one-shot ones, added ones, then the builder's. */
    public List<Recording> recordings() {
        return recordings.all();
    }

    /** Requests received so far, oldest first (the most recent {@link Builder#requestLogLimit} only). */
    public List<ReceivedRequest> requests() {
        return requests.all();
    }

    /**
     * The next request not yet taken, in arrival order, waiting up to {@code timeout} for it to arrive
     * (as MockWebServer's {@code takeRequest}); {@code null} if none arrives in time. Requests cleared by
     * {@link #clearRequests()} or {@link #reset()}, or dropped past {@link Builder#requestLogLimit}, are
     * not taken.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public ReceivedRequest takeRequest(Duration timeout) throws InterruptedException {
        return requests.take(Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Connections accepted so far, oldest first: all open ones, and the most recent closed ones (up to
     * {@link Builder#requestLogLimit}). Each is a live view.
     */
    public List<MockConnection> connections() {
        return connections.all();
    }

    /** Forgets the received requests, nothing else. */
    public void clearRequests() {
        requests.clear();
    }

    /**
     * Forgets enqueued and added recordings, received requests, closed connections and a dispatcher set
     * on the server; the builder's recordings and dispatcher stay.
     */
    public void reset() {
        recordings.reset();
        dispatcher = builderDispatcher;
        clearRequests();
        connections.forgetClosed();
    }

    /** Blocks until the server is closed (by another thread, or a shutdown hook). */
    public void awaitClose() throws InterruptedException {
        NettyServer n;
        synchronized (this) {
            n = netty;
        }
        if (n != null) {
            n.awaitClose();
        }
    }

    /** Stops listening, drops open connections and ends the server's threads. Idempotent. */
    @Override
    public void close() {
        NettyServer n;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            n = netty;
        }
        connections.serverClosesAll(); // the server drops them, not their clients
        if (n != null) {
            n.close();
        }
    }

    @Override
    public synchronized String toString() {
        return "MockServer[" + (netty == null ? "not started" : baseUri().toString()) + ", " + recordings.initial().size()
                + " recording(s), speed " + speed + ", rechunk " + rechunk
                + (faults.isEmpty() ? "" : ", faults " + faults) + (token == null ? "" : ", token checked") + "]";
    }

    /** Builds a {@link MockServer}; {@link #build()} may be called more than once. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private double speed = 1;
        private Rechunk rechunk = Rechunk.asRecorded();
        private final List<Fault> faults = new ArrayList<>();
        private String token;
        private int maxRequestBytes = 1024 * 1024;
        private int requestLogLimit = 10_000;
        private final List<Recording> recordings = new ArrayList<>();
        private Dispatcher dispatcher;

        private Builder() {
        }

        /** The address to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port (default 0: a free one, see {@link MockServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Adds the recordings in these files and folders (every {@code *.json} below a folder, in path order).
         *
         * @throws IllegalArgumentException naming the file, if one is not a valid recording
         */
        public Builder recordings(Path... filesOrFolders) {
            for (Path p : filesOrFolders) {
                recordings.addAll(Recording.readAll(p));
            }
            return this;
        }

        /** Adds recordings, e.g. {@link Recording#demo()} or {@link Recording#fromClasspath}. */
        public Builder recordings(Collection<Recording> recordings) {
            recordings.forEach(this::recording);
            return this;
        }

        /** Adds one recording. */
        public Builder recording(Recording recording) {
            recordings.add(Objects.requireNonNull(recording, "recording"));
            return this;
        }

        /** Timing: 1 = as recorded (default), 2 = twice as fast, 0.5 = half as fast, 0 = no delays. */
        public Builder speed(double speed) {
            if (!(speed >= 0) || Double.isInfinite(speed)) {
                throw new IllegalArgumentException("speed must be a finite number >= 0, was " + speed);
            }
            this.speed = speed;
            return this;
        }

        /** How to cut the body into chunks (default: as recorded). */
        public Builder rechunk(Rechunk rechunk) {
            this.rechunk = Objects.requireNonNull(rechunk, "rechunk");
            return this;
        }

        /** Requires this token in every request ({@code null}: no check, the default). Never printed. */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** Adds a fault to every replay. */
        public Builder fault(Fault fault) {
            faults.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /** Adds faults to every replay. */
        public Builder faults(Collection<Fault> faults) {
            faults.forEach(this::fault);
            return this;
        }

        /** Largest request body accepted (default 1 MiB); larger ones get HTTP 413. */
        public Builder maxRequestBytes(int maxRequestBytes) {
            if (maxRequestBytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 1");
            }
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /** How many received requests {@link MockServer#requests()} keeps, newest (default 10,000). */
        public Builder requestLogLimit(int requestLogLimit) {
            if (requestLogLimit < 0) {
                throw new IllegalArgumentException("requestLogLimit must be >= 0");
            }
            this.requestLogLimit = requestLogLimit;
            return this;
        }

        /** Asks {@code dispatcher} first for every chat request (default: none; see {@link Dispatcher}). */
        public Builder dispatcher(Dispatcher dispatcher) {
            this.dispatcher = dispatcher;
            return this;
        }

        /** A new, not yet started server. */
        public MockServer build() {
            return new MockServer(this);
        }
    }
}
