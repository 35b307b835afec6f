package dev.chat852.mock.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Where the recorder forwards to: scheme, host, port and a path prefix, parsed once. */
public final class Upstream {
    private final URI uri;
    private final String host;
    private final int port;
    private final String basePath;
    private final SslContext ssl;

    public Upstream(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("upstream must be an http or https URL, was " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("upstream has no host: " + uri);
        }
        if (uri.getRawQuery() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("upstream must not have a query or user info: " + uri.getHost());
        }
        this.uri = uri;
        this.host = uri.getHost();
        this.port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        try {
            this.ssl = scheme.equals("https") ? SslContextBuilder.forClient().build() : null;
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS for the upstream", e);
        }
    }

    public URI uri() {
        return uri;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** The Host header: the port only when it is not the scheme's default. */
    public String hostHeader() {
        boolean defaultPort = ssl != null ? port == 443 : port == 80;
        String h = host.contains(":") ? "[" + host + "]" : host;
        return defaultPort ? h : h + ":" + port;
    }

    /** The upstream path for a request path: the upstream's own path prefix, then the request's. */
    public String path(String requestUri) {
        return basePath + requestUri;
    }

    /** TLS settings, or null for plain http. */
    public SslContext ssl() {
        return ssl;
    }

    @Override
    public String toString() {
        return (ssl != null ? "https://" : "http://") + hostHeader() + basePath;
    }
}
