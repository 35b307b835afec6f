package dev.chat852.mock;

import dev.chat852.mock.internal.NettyServer;
import dev.chat852.mock.internal.ProxyHandler;
import dev.chat852.mock.internal.RecordingSink;
import dev.chat852.mock.internal.Upstream;
import dev.chat852.protocol.ChatApi;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A recording proxy: point a client at it instead of the real service; it forwards each chat request
 * to the upstream, streams the answer back as it arrives, and writes one {@link Recording} file per
 * exchange with the chunk boundaries as read and their timing. The files replay with {@link MockServer}.
 *
 * <p>The token is forwarded and never written: not to a recording, not to a log. A recording that
 * would contain it (an upstream that echoes it) is not written at all.
 *
 * <pre>{@code
 * try (Recorder recorder = Recorder.builder()
 *         .upstream(Recorder.DEFAULT_UPSTREAM)
 *         .output(Path.of("recordings"))
 *         .port(8852)
 *         .build()
 *         .start()) {
 *     // point the client at recorder.baseUri(), chat, then:
 *     System.out.println(recorder.recorded());
 * }
 * }</pre>
 *
 * <p>Each recording's file is on disk before the client sees the end of the response. An upstream that
 * breaks off mid-answer gives a recording ending in a {@code truncate} fault at that byte. Memory is
 * bounded per exchange ({@link Builder#maxRecordingBytes}): an endless answer fails its own exchange, not
 * the recorder.
 */
public final class Recorder implements AutoCloseable {
    /** The real service. */
    public static final URI DEFAULT_UPSTREAM = URI.create(ChatApi.DEFAULT_BASE_URL);
    /** Default of {@link Builder#maxRecordingBytes}: 16 MiB. */
    public static final long DEFAULT_MAX_RECORDING_BYTES = 16L * 1024 * 1024;

    private final String host;
    private final int requestedPort;
    private final Upstream upstream;
    private final Path output;
    private final Consumer<Path> onRecorded;
    private final int connectTimeoutMillis;
    private final int maxRequestBytes;
    private final long maxRecordingBytes;
    private final List<Path> recorded = new CopyOnWriteArrayList<>();

    private NettyServer netty;
    private boolean closed;

    private Recorder(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.upstream = new Upstream(b.upstream);
        this.output = Objects.requireNonNull(b.output, "output folder not set");
        this.onRecorded = b.onRecorded;
        // Netty takes an int of milliseconds; a longer wait is as good as none (and Duration.toMillis would throw).
        this.connectTimeoutMillis = b.connectTimeout.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0
                ? Integer.MAX_VALUE : (int) b.connectTimeout.toMillis();
        this.maxRequestBytes = b.maxRequestBytes;
        this.maxRecordingBytes = b.maxRecordingBytes;
    }

    /** A builder: upstream {@link #DEFAULT_UPSTREAM}, loopback, a free port; {@link Builder#output} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts listening.
     *
     * @throws IllegalStateException if already started or closed
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public synchronized Recorder start() {
        if (closed || netty != null) {
            throw new IllegalStateException(closed ? "recorder is closed" : "recorder already started");
        }
        RecordingSink sink = new RecordingSink(output, file -> {
            recorded.add(file);
            onRecorded.accept(file);
        });
        netty = NettyServer.start(host, requestedPort, "chat852-recorder", maxRequestBytes,
                () -> new ProxyHandler(upstream, sink, connectTimeoutMillis, maxRecordingBytes));
        System.getLogger("dev.chat852.mock").log(System.Logger.Level.DEBUG,
                "chat852 recorder at {0} forwarding to {1}, writing to {2}", baseUri(), upstream, output);
        return this;
    }

    /** The port listened on. */
    public synchronized int port() {
        if (netty == null) {
            throw new IllegalStateException("recorder not started");
        }
        return netty.address().getPort();
    }

    /** {@code http://HOST:PORT}: the base URL to give a client. */
    public synchronized URI baseUri() {
        if (netty == null) {
            throw new IllegalStateException("recorder not started");
        }
        return netty.baseUri(host);
    }

    /** The chat endpoint's full URL. */
    public URI endpoint() {
        return URI.create(baseUri() + ChatApi.PATH);
    }

    /** The recording files written so far, in order. */
    public List<Path> recorded() {
        return List.copyOf(recorded);
    }

    /** Blocks until the recorder is closed. */
    public void awaitClose() throws InterruptedException {
        NettyServer n;
        synchronized (this) {
            n = netty;
        }
        if (n != null) {
            n.awaitClose();
        }
    }

    /** Stops listening, drops open connections and ends the recorder's threads. Idempotent. */
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
        if (n != null) {
            n.close();
        }
    }

    @Override
    public String toString() {
        return "Recorder[" + upstream + " -> " + output + "]";
    }

    /** Builds a {@link Recorder}; not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private URI upstream = DEFAULT_UPSTREAM;
        private Path output;
        private Consumer<Path> onRecorded = file -> { };
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxRequestBytes = 1024 * 1024;
        private long maxRecordingBytes = DEFAULT_MAX_RECORDING_BYTES;

        private Builder() {
        }

        /** The service to forward to: {@code http} or {@code https}, optionally with a path prefix. */
        public Builder upstream(URI upstream) {
            this.upstream = Objects.requireNonNull(upstream, "upstream");
            return this;
        }

        /** The folder recordings are written to (created if missing). Required. */
        public Builder output(Path folder) {
            this.output = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** The address to listen on (default {@code 127.0.0.1}). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port (default 0: a free one). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Told of each file written, on a server thread: must return quickly. */
        public Builder onRecorded(Consumer<Path> onRecorded) {
            this.onRecorded = Objects.requireNonNull(onRecorded, "onRecorded");
            return this;
        }

        /** How long to wait for the upstream connection (default 10 s; zero: no limit). */
        public Builder connectTimeout(Duration connectTimeout) {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (connectTimeout.isNegative()) {
                throw new IllegalArgumentException("connectTimeout must not be negative, was " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * What one exchange may keep in memory while it is recorded: the answer's bytes plus 64 bytes of
         * bookkeeping per chunk (default {@link #DEFAULT_MAX_RECORDING_BYTES}, 16 MiB, the client's own
         * answer bound). An answer that passes it fails that exchange alone: the client gets the bytes up
         * to the bound and then a cut connection, the recording ends in a {@code truncate} fault there,
         * and a warning is logged; the recorder goes on serving other exchanges.
         */
        public Builder maxRecordingBytes(long maxRecordingBytes) {
            if (maxRecordingBytes < 1024) {
                throw new IllegalArgumentException("maxRecordingBytes must be >= 1024, was " + maxRecordingBytes);
            }
            this.maxRecordingBytes = maxRecordingBytes;
            return this;
        }

        /** Largest request body accepted (default 1 MiB). */
        public Builder maxRequestBytes(int maxRequestBytes) {
            if (maxRequestBytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be >= 1");
            }
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /**
         * A new, not yet started recorder.
         *
         * @throws IllegalArgumentException if the upstream is not an http(s) URL
         * @throws NullPointerException if no output folder was set
         */
        public Recorder build() {
            return new Recorder(this);
        }
    }
}
