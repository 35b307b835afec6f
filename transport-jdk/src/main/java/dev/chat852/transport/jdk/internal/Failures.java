package dev.chat852.transport.jdk.internal;

import dev.chat852.ChatTimeoutException;
import dev.chat852.spi.ProxyConnectException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what the JDK client reports into what the SPI asks for. */
final class Failures {
    /** How JDK 17 to 25 word a proxy's refusal of a CONNECT other than 407. */
    private static final String TUNNEL_FAILED = "Tunnel failed, got:";
    /** The longest a diagnosing connect may take. */
    private static final long PROBE_MILLIS = 2_000;

    private Failures() {
    }

    /**
     * The real cause, out of the {@code CompletionException}/{@code ExecutionException} wrappers; a
     * connect timeout anywhere in the chain becomes {@link ChatTimeoutException} of kind {@code CONNECT}.
     */
    static Throwable translate(Throwable error, Duration connectTimeout) {
        Throwable cause = unwrap(error);
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                ChatTimeoutException timeout = new ChatTimeoutException(ChatTimeoutException.Kind.CONNECT,
                        connectTimeout);
                timeout.initCause(cause);
                return timeout;
            }
        }
        return cause;
    }

    /**
     * What a failure to connect really was, where JDK 17's client says too little: it reports a refused
     * connection (and some others) as a bare {@code ConnectException} over a {@code ClosedChannelException}.
     * One plain connect to the same address (the server's, or the proxy's the client went to), with the
     * same bound on time, tells what it was, so the message can say so as the Netty transport's does; the
     * probe's exception is returned with the client's as its cause. Only on this failure path.
     */
    static Throwable diagnose(Throwable failure, InetSocketAddress address, Duration connectTimeout) {
        if (!(failure instanceof ConnectException) || failure.getMessage() != null
                || !(failure.getCause() instanceof ClosedChannelException)) {
            return failure;
        }
        long millis = connectTimeout.isZero() ? PROBE_MILLIS : Math.min(PROBE_MILLIS, connectTimeout.toMillis());
        try (Socket probe = new Socket()) {
            probe.connect(address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort())
                    : address, (int) Math.max(1, millis));
            return failure; // it connects now: the first failure stays as it was reported
        } catch (IOException seen) {
            seen.initCause(failure);
            return seen;
        }
    }

    /** The server's address for a direct connection to {@code uri}. */
    static InetSocketAddress address(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return InetSocketAddress.createUnresolved(uri.getHost(), port);
    }

    /**
     * A failure of a request sent through {@code proxy}, as the proxy's when it is: the proxy could not be
     * reached (so the server never was), or it refused the tunnel, which JDK 17 reports only as
     * {@code IOException("Tunnel failed, got: 403")}. Anything else (TLS with the server, a reset) is the
     * server's and stays as it is.
     */
    static Throwable atProxy(Throwable failure, InetSocketAddress proxy) {
        if (failure instanceof ChatTimeoutException) {
            return failure;
        }
        String message = failure.getMessage();
        if (message != null && message.startsWith(TUNNEL_FAILED)) {
            return new ProxyConnectException(proxy, "refused the tunnel (HTTP " + message.substring(TUNNEL_FAILED.length())
                    .strip() + ")", failure);
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnresolvedAddressException
                    || t instanceof UnknownHostException || t instanceof NoRouteToHostException) {
                return new ProxyConnectException(proxy, null, failure);
            }
        }
        return failure;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
