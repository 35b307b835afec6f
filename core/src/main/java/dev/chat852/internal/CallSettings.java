package dev.chat852.internal;

import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A client's settings for every call, fixed when it is built: {@code ChatClient.Builder} validates each
 * value and sets it here. The token is here and in the request body, nowhere else: {@link #toString()}
 * leaves it out.
 */
public final class CallSettings {
    private final Dialect dialect;
    private final DialectCodec codec;
    private final URI endpoint;
    private final String token;
    private final String defaultModel;
    private final Duration connectTimeout;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    private final int maxHeaderBytes;
    private final int maxAnswerBytes;
    private final RetryPolicy retry;
    private final Map<String, String> headers;

    private CallSettings(Builder b) {
        this.dialect = b.dialect;
        this.codec = DialectCodec.of(b.dialect);
        this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
        this.token = b.token;
        this.defaultModel = b.defaultModel;
        this.connectTimeout = b.connectTimeout;
        this.firstByteTimeout = b.firstByteTimeout;
        this.idleTimeout = b.idleTimeout;
        this.maxHeaderBytes = b.maxHeaderBytes;
        this.maxAnswerBytes = b.maxAnswerBytes;
        this.retry = new RetryPolicy(b.maxRetries, b.retryBackoff, RetryPolicy.JITTER);
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
    }

    public static Builder builder() {
        return new Builder();
    }

    public URI endpoint() {
        return endpoint;
    }

    public Dialect dialect() {
        return dialect;
    }

    /** How this client's dialect encodes requests and reads answers. */
    DialectCodec codec() {
        return codec;
    }

    String token() {
        return token;
    }

    public String defaultModel() {
        return defaultModel;
    }

    Duration connectTimeout(ChatRequest request) {
        return request.connectTimeout().orElse(connectTimeout);
    }

    Duration firstByteTimeout(ChatRequest request) {
        return request.firstByteTimeout().orElse(firstByteTimeout);
    }

    Duration idleTimeout(ChatRequest request) {
        return request.idleTimeout().orElse(idleTimeout);
    }

    int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    int maxAnswerBytes() {
        return maxAnswerBytes;
    }

    RetryPolicy retry() {
        return retry;
    }

    /**
     * The headers of a request: the dialect's (for OpenAI, the key as {@code Authorization}), chat852's
     * {@code User-Agent} naming {@code transport}, then the client's own (which may replace them).
     */
    Map<String, String> requestHeaders(boolean stream, String transport) {
        Map<String, String> all = new LinkedHashMap<>(codec.requestHeaders(stream, token));
        all.put("User-Agent", RequestHeaders.userAgent(transport));
        headers.forEach((name, value) -> {
            all.keySet().removeIf(n -> n.equalsIgnoreCase(name));
            all.put(name, value);
        });
        return all;
    }

    /** Everything but the token. */
    @Override
    public String toString() {
        return "CallSettings{dialect=" + dialect.id() + ", endpoint=" + endpoint + ", model=" + defaultModel + ", token " + (token == null ? "none" : "set")
                + ", retries=" + retry.maxRetries() + "}";
    }

    /** Takes values already validated by the public builder; the defaults are its. */
    public static final class Builder {
        private Dialect dialect = Dialect.CHAT852;
        private URI endpoint;
        private String token;
        private String defaultModel;
        private Duration connectTimeout = Duration.ZERO;
        private Duration firstByteTimeout = Duration.ZERO;
        private Duration idleTimeout = Duration.ZERO;
        private int maxHeaderBytes;
        private int maxAnswerBytes;
        private int maxRetries;
        private Duration retryBackoff = Duration.ZERO;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
        }

        /** Whether a token was set. */
        public boolean hasToken() {
            return token != null;
        }

        /**
         * Adds a header to every request. One set again in another case replaces it when a request's
         * headers are put together ({@code requestHeaders}), where the dialect's are replaced too.
         */
        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Builder dialect(Dialect dialect) {
            this.dialect = dialect;
            return this;
        }

        public Builder endpoint(URI endpoint) {
            this.endpoint = endpoint;
            return this;
        }

        public Builder token(String token) {
            this.token = token;
            return this;
        }

        public Builder defaultModel(String model) {
            this.defaultModel = model;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder firstByteTimeout(Duration timeout) {
            this.firstByteTimeout = timeout;
            return this;
        }

        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        public Builder maxHeaderBytes(int max) {
            this.maxHeaderBytes = max;
            return this;
        }

        public Builder maxAnswerBytes(int max) {
            this.maxAnswerBytes = max;
            return this;
        }

        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public Builder retryBackoff(Duration backoff) {
            this.retryBackoff = backoff;
            return this;
        }

        public CallSettings build() {
            return new CallSettings(this);
        }
    }
}
