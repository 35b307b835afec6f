package dev.chat852.spi;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link Transport} sends: a POST with a JSON body. The body (852 dialect) or the
 * {@code Authorization} header (OpenAI dialect) holds the API token, so this type's {@link #toString()}
 * leaves both out, and transports must never log them.
 */
public final class TransportRequest {
    private final URI uri;
    private final Map<String, String> headers;
    private final ByteBuffer body;
    private final Duration connectTimeout;

    /**
     * @param uri an {@code http} or {@code https} URI
     * @param headers request headers, in order
     * @param body the request body (copied)
     * @param connectTimeout the longest time to wait for a connection; {@link Duration#ZERO} for no limit
     */
    public TransportRequest(URI uri, Map<String, String> headers, byte[] body, Duration connectTimeout) {
        this.uri = Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("only http and https URIs are supported, not " + uri);
        }
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        this.body = ByteBuffer.wrap(body.clone()).asReadOnlyBuffer();
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    }

    /** Always {@code POST}. */
    public String method() {
        return "POST";
    }

    public URI uri() {
        return uri;
    }

    /** Request headers to send, besides those the HTTP client adds itself (Host, Content-Length). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body, as a new read-only view on each call. */
    public ByteBuffer body() {
        return body.duplicate();
    }

    /** How long to wait for a connection; {@link Duration#ZERO} means no limit. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** The method and URI only: the body or a header holds the token. */
    @Override
    public String toString() {
        return "POST " + uri + " (" + body.remaining() + "-byte body not shown)";
    }
}
