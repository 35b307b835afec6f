package dev.chat852.spi;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A transport's failure at the HTTP proxy rather than at the server: the proxy could not be reached, or
 * it refused to open the tunnel. A transport reports it through {@link ResponseHandler#onError}, with what
 * it saw as the cause, so that chat852's messages name the proxy ("the proxy proxy.corp:3128 could not be
 * reached: the connection to proxy.corp:3128 was refused") instead of the server it never reached.
 */
public final class ProxyConnectException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient InetSocketAddress proxy;
    private final String refusal;

    /**
     * @param proxy the proxy's address
     * @param refusal what the proxy answered, in words, such as {@code "refused the tunnel (HTTP 403)"}; null
     *     if it could not be reached at all, which {@code cause} then explains
     * @param cause what the transport saw
     */
    public ProxyConnectException(InetSocketAddress proxy, String refusal, Throwable cause) {
        super("the proxy " + hostPort(Objects.requireNonNull(proxy, "proxy"))
                + (refusal != null ? " " + refusal : " could not be reached"), cause);
        this.proxy = proxy;
        this.refusal = refusal;
    }

    /** The proxy's address. */
    public InetSocketAddress proxy() {
        return proxy;
    }

    /** What the proxy answered, in words; null if it could not be reached. */
    public String refusal() {
        return refusal;
    }

    /** {@code host:port} as given (never resolved here). */
    public static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
