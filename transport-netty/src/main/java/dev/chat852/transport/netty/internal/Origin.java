package dev.chat852.transport.netty.internal;

import java.net.URI;
import java.util.Locale;

/**
 * Where connections go and what they may be reused for: scheme, host and port. Connections are pooled
 * per origin.
 *
 * @param secure {@code https}
 * @param host the host as in the URI (an IPv6 literal keeps its brackets)
 * @param port the port, the scheme's default filled in
 */
record Origin(boolean secure, String host, int port) {

    static Origin of(URI uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        String host = uri.getHost();
        if (host == null) {
            throw new IllegalArgumentException("the URI has no host: " + uri);
        }
        int port = uri.getPort() != -1 ? uri.getPort() : secure ? 443 : 80;
        return new Origin(secure, host.toLowerCase(Locale.ROOT), port);
    }

    /** The host to connect to and to name in SNI: without IPv6 brackets. */
    String connectHost() {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The {@code Host} header: the port only when it is not the scheme's default. */
    String hostHeader() {
        return port == (secure ? 443 : 80) ? host : host + ":" + port;
    }

    @Override
    public String toString() {
        return (secure ? "https://" : "http://") + host + ":" + port;
    }
}
