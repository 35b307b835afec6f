package dev.chat852;

import dev.chat852.internal.CallContext;
import dev.chat852.internal.CallSettings;
import dev.chat852.internal.CallerFrames;
import dev.chat852.internal.ClientTimer;
import dev.chat852.internal.Metrics;
import dev.chat852.internal.RequestHeaders;
import dev.chat852.internal.StreamCall;
import dev.chat852.internal.StreamHandle;
import dev.chat852.internal.TransportLoader;
import dev.chat852.protocol.ChatApi;
import dev.chat852.spi.Transport;
import dev.chat852.wire.FrameDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A client for the xutongbao chat API. Thread-safe: build one and share it; close it when done.
 *
 * <pre>{@code
 * try (ChatClient client = ChatClient.builder().token(System.getenv("CHAT852_TOKEN")).build()) {
 *     try (ChatStream stream = client.stream(ChatRequest.of("用一句话介绍你自己"))) {
 *         stream.text().forEach(System.out::print);          // streamed, as it arrives
 *     }
 *     ChatCompletion whole = client.complete(ChatRequest.of("Say hi"));   // not streamed
 * }
 * }</pre>
 *
 * <p>The transport is the one passed to {@link Builder#transport}, or else the one found on the
 * classpath ({@code chat852-transport-jdk} or {@code chat852-transport-netty}; see
 * {@link dev.chat852.spi.TransportProvider}).
 */
public final class ChatClient implements AutoCloseable {
    /** The environment variable {@link Builder#fromEnv()} reads the token from. */
    public static final String TOKEN_VARIABLE = "CHAT852_TOKEN";
    /** The environment variable {@link Builder#fromEnv()} reads the base URL from. */
    public static final String BASE_URL_VARIABLE = "CHAT852_BASE_URL";
    /** The environment variable {@link Builder#fromEnv()} reads the default model from. */
    public static final String MODEL_VARIABLE = "CHAT852_MODEL";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** Default bound on one answer's body: 16 MiB, thousands of times the longest chat answer. */
    public static final int DEFAULT_MAX_ANSWER_BYTES = 16 << 20;
    /** Default pause before the first retry (when retries are on): 500 ms, doubled for each further one. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);

    private final CallSettings settings;
    private final Transport transport;
    private final boolean ownsTransport;
    private final ClientTimer timer;
    private final CallContext context;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ChatClient(Builder b) {
        Dialect dialect = b.dialect;
        URI endpoint = endpoint(dialect, b.baseUrl != null ? b.baseUrl : dialect.defaultBaseUrl());
        if (!b.settings.hasToken() && endpoint.getHost().equals(URI.create(dialect.defaultBaseUrl()).getHost())) {
            throw new IllegalStateException("no API token for " + dialect.defaultBaseUrl() + ": give it with token(...),"
                    + (dialect == Dialect.CHAT852 ? " or set " + TOKEN_VARIABLE + " and use fromEnv()" : "")
                    + " (a local server such as the mock, at another baseUrl, may need none)");
        }
        b.settings.dialect(dialect).defaultModel(b.model != null ? b.model : dialect.defaultModel());
        this.ownsTransport = b.transport == null;
        this.transport = ownsTransport ? TransportLoader.load() : b.transport;
        this.settings = b.settings.endpoint(endpoint).build();
        this.timer = ClientTimer.newThread();
        Metrics metrics = b.meterRegistry == null ? Metrics.NONE : Metrics.micrometer(b.meterRegistry);
        this.context = new CallContext(settings, transport, timer, b.callbackExecutor, metrics);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A client configured from the environment ({@link Builder#fromEnv()}), with the transport on the
     * class or module path.
     *
     * @throws IllegalStateException if {@value #TOKEN_VARIABLE} is unset and the base URL is the public service's
     */
    public static ChatClient fromEnv() {
        return builder().fromEnv().build();
    }

    /**
     * Sends a request and streams the answer. Returns at once; see {@link ChatStream} for the ways to
     * consume it. Failures reach the consumer as {@link Chat852Exception}s.
     *
     * @throws IllegalStateException if the client is closed
     */
    public ChatStream stream(ChatRequest request) {
        checkOpen();
        return StreamHandle.of(StreamCall.start(context, request, true));
    }

    /** Streams the answer to one user message, with the default model. */
    public ChatStream stream(String userMessage) {
        return stream(ChatRequest.of(userMessage));
    }

    /**
     * Sends a request for a whole, non-streamed answer ({@code params.stream} false) and waits for it.
     *
     * @throws ApiException if the API answered with an error code
     * @throws Chat852Exception for any other failure: {@link HttpStatusException},
     *     {@link TransportException}, {@link ChatTimeoutException}
     */
    public ChatCompletion complete(ChatRequest request) {
        try {
            return completeAsync(request).join();
        } catch (CompletionException e) {
            throw CallerFrames.of(e.getCause()); // with this thread's frames, the I/O thread's failure as cause
        }
    }

    /** Like {@link #complete}, without waiting. */
    public CompletableFuture<ChatCompletion> completeAsync(ChatRequest request) {
        checkOpen();
        return StreamCall.start(context, request, false).completion();
    }

    /** The transport's name, such as {@code "jdk"} or {@code "netty"}. */
    public String transportName() {
        return transport.name();
    }

    /** The URL requests go to. */
    public URI endpoint() {
        return settings.endpoint();
    }

    /**
     * Fails the calls still running (with a {@link TransportException}, closing their connections), stops
     * the client's timer thread and, if the client found its transport itself, closes it. Idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            context.failRunning();
            timer.shutdown();
            if (ownsTransport) {
                transport.close();
            }
        }
    }

    /** The endpoint, transport and default model; never the token. */
    @Override
    public String toString() {
        return "ChatClient{dialect=" + settings.dialect().id() + ", endpoint=" + settings.endpoint() + ", transport=" + transport.name() + ", model="
                + settings.defaultModel() + "}";
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this ChatClient is closed");
        }
    }

    private static URI endpoint(Dialect dialect, String baseUrl) {
        if (!baseUrl.contains("://")) {
            throw new IllegalArgumentException("baseUrl must start with http:// or https://, such as http://" + baseUrl
                    + "; was " + baseUrl);
        }
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        String path = dialect.path();
        if (dialect == Dialect.OPENAI && base.endsWith("/v1")) {
            path = path.substring("/v1".length()); // an OpenAI-style base URL names /v1 itself: it is not doubled
        }
        URI uri;
        try {
            uri = URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a valid URL: " + baseUrl, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http:// or https:// URL with a host, was "
                    + baseUrl);
        }
        return uri;
    }

    /** Configures a {@link ChatClient}. Every setting has a default except the token. */
    public static final class Builder {
        private final CallSettings.Builder settings = CallSettings.builder()
                .connectTimeout(DEFAULT_CONNECT_TIMEOUT)
                .firstByteTimeout(DEFAULT_FIRST_BYTE_TIMEOUT)
                .idleTimeout(DEFAULT_IDLE_TIMEOUT)
                .maxHeaderBytes(FrameDecoder.DEFAULT_MAX_HEADER_BYTES)
                .maxAnswerBytes(DEFAULT_MAX_ANSWER_BYTES)
                .retryBackoff(DEFAULT_RETRY_BACKOFF);
        private Dialect dialect = Dialect.CHAT852;
        private String baseUrl;
        private String model;
        private Transport transport;
        private MeterRegistry meterRegistry;
        private Executor callbackExecutor;

        private Builder() {
        }

        /**
         * Takes what the environment sets: the token from {@value #TOKEN_VARIABLE}, the base URL from
         * {@value #BASE_URL_VARIABLE} and the default model from {@value #MODEL_VARIABLE}, each when set and
         * not empty. Settings made after this call win.
         */
        public Builder fromEnv() {
            return fromEnv(System::getenv);
        }

        Builder fromEnv(Function<String, String> variables) {
            Optional.ofNullable(variables.apply(TOKEN_VARIABLE)).filter(v -> !v.isEmpty()).ifPresent(this::token);
            Optional.ofNullable(variables.apply(BASE_URL_VARIABLE)).filter(v -> !v.isEmpty()).ifPresent(this::baseUrl);
            Optional.ofNullable(variables.apply(MODEL_VARIABLE)).filter(v -> !v.isEmpty()).ifPresent(this::model);
            return this;
        }

        /**
         * A header sent with every request, replacing one of the same name. The default {@code User-Agent},
         * {@code chat852/VERSION (Java VERSION; TRANSPORT)}, can be replaced this way.
         *
         * @throws IllegalArgumentException if the name is not a header name, the value holds line breaks or
         *     other control characters, or the transport sets the header itself ({@code Host},
         *     {@code Content-Length}, {@code Transfer-Encoding}, {@code Connection} …)
         */
        public Builder header(String name, String value) {
            RequestHeaders.check(name, value);
            settings.header(name, value);
            return this;
        }

        /** Scheme, host and port (and an optional path prefix); the dialect's path is appended. Default: the dialect's service. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * The account's API token (for {@link Dialect#OPENAI}: the API key), sent in each request body
         * (OpenAI: as {@code Authorization: Bearer}). Never logged or shown. Required for the public
         * service; a local server (the mock) may need none.
         */
        public Builder token(String token) {
            settings.token(token);
            return this;
        }

        /** The model for requests that name none; default the dialect's ({@link ChatApi#DEFAULT_MODEL} for 852). */
        public Builder model(String model) {
            this.model = Objects.requireNonNull(model, "model");
            return this;
        }

        /**
         * The protocol to speak (default {@link Dialect#CHAT852}). It chooses the request's encoding, how
         * the answer is decoded, the path appended to the base URL and the defaults of the base URL and the
         * model; events, failures, timeouts, retries and bounds are the same for every dialect. For
         * {@link Dialect#OPENAI} the token is sent as {@code Authorization: Bearer}, and a base URL that
         * ends in {@code /v1} (as OpenAI-compatible servers are usually given) is taken as it is.
         */
        public Builder dialect(Dialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * The transport to use. A transport passed here is not closed by the client: its owner closes
         * it. Without one, the client finds one on the classpath and closes it itself.
         */
        public Builder transport(Transport transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /** How long to wait for a connection; default 10 s; {@link Duration#ZERO} for no limit. */
        public Builder connectTimeout(Duration timeout) {
            settings.connectTimeout(Timeouts.check("connectTimeout", timeout));
            return this;
        }

        /** How long to wait for the response to start after sending; default 60 s; zero for no limit. */
        public Builder firstByteTimeout(Duration timeout) {
            settings.firstByteTimeout(Timeouts.check("firstByteTimeout", timeout));
            return this;
        }

        /**
         * How long the body may pause while the consumer is ready for more; default 60 s; zero for no
         * limit. A stream's total length is bounded by {@link #maxAnswerBytes}, not by time.
         */
        public Builder idleTimeout(Duration timeout) {
            settings.idleTimeout(Timeouts.check("idleTimeout", timeout));
            return this;
        }

        /** Records metrics (see {@code docs/client.md}) in this registry. Without one, nothing is recorded. */
        @SuppressWarnings("exports") // Micrometer is optional: whoever passes a registry reads it already
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Where listener and subscriber callbacks run, one at a time per call. Default: the transport's
         * I/O thread, which must then not be blocked.
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** The largest header block accepted; default {@link FrameDecoder#DEFAULT_MAX_HEADER_BYTES}. */
        public Builder maxHeaderBytes(int maxHeaderBytes) {
            if (maxHeaderBytes < 0) {
                throw new IllegalArgumentException("maxHeaderBytes must be >= 0, was " + maxHeaderBytes);
            }
            settings.maxHeaderBytes(maxHeaderBytes);
            return this;
        }

        /**
         * The largest answer body read, streamed or whole; default {@link #DEFAULT_MAX_ANSWER_BYTES}. A
         * longer answer fails the call with a {@link Chat852Exception} that says so, and its connection is
         * closed; a stream's text up to the bound is delivered and stays in {@link ChatStream#received()}.
         * It bounds what a call keeps in memory: the answer text, which {@code received()} and
         * {@code completion()} hold whole.
         */
        public Builder maxAnswerBytes(int maxAnswerBytes) {
            if (maxAnswerBytes <= 0) {
                throw new IllegalArgumentException("maxAnswerBytes must be > 0, was " + maxAnswerBytes);
            }
            settings.maxAnswerBytes(maxAnswerBytes);
            return this;
        }

        /**
         * Tries a call again, up to {@code maxRetries} times (default 0: never), when it fails before
         * any of the answer was read: the connection could not be opened (including the connect
         * timeout) or was lost before the response began, or the server answered 429, 502, 503 or 504.
         * Once any of the response body has been read nothing is retried, so an answer never mixes two
         * attempts; nor is the first-byte timeout, as the server may already be writing (and charging
         * for) the answer. Listeners see only the attempt that answered. The pause before each retry is
         * {@link #retryBackoff}, doubled per retry up to 30 s, or longer if the server asks for it with
         * {@code Retry-After} (in seconds; at most 60 s is honoured). Cancelling during a pause ends the
         * call at once.
         */
        public Builder retries(int maxRetries) {
            if (maxRetries < 0) {
                throw new IllegalArgumentException("maxRetries must be >= 0, was " + maxRetries);
            }
            settings.maxRetries(maxRetries);
            return this;
        }

        /** The pause before the first retry; default {@link #DEFAULT_RETRY_BACKOFF}. See {@link #retries}. */
        public Builder retryBackoff(Duration backoff) {
            settings.retryBackoff(Timeouts.check("retryBackoff", backoff));
            return this;
        }

        /**
         * @throws IllegalArgumentException if the base URL is not an http(s) URL
         * @throws IllegalStateException if no transport was given and none, or several, are on the classpath
         */
        public ChatClient build() {
            return new ChatClient(this);
        }
    }
}
