package dev.chat852.internal;

import dev.chat852.TransportException;
import dev.chat852.spi.ProxyConnectException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * What a transport's own failure becomes: a {@link TransportException} that says in words what happened
 * (the name did not resolve, the connection was refused, TLS failed …), the same whichever transport
 * reported it and however deep in its wrappers the real cause lies. The transport's exception is kept
 * as the cause.
 */
public final class ConnectionFailure {
    private ConnectionFailure() {
    }

    /**
     * @param when {@code "before the response"} or how far the response had come
     * @param target the URL the request went to, named in the message
     */
    static TransportException of(String when, Throwable error, URI target) {
        return new TransportException("the connection failed " + when + ": " + describe(error, target), error);
    }

    /**
     * The most telling exception in the cause chain, in words; where the words say it all (a name that
     * does not resolve, a refusal) nothing more, else with the exception, whose details differ by transport.
     */
    public static String describe(Throwable error, URI target) {
        ProxyConnectException atProxy = find(error, ProxyConnectException.class);
        if (atProxy != null) { // the server was never reached: name the proxy
            Throwable cause = atProxy.getCause();
            return atProxy.getMessage() + (atProxy.refusal() != null || cause == null ? ""
                    : ": " + describe(cause, URI.create("http://" + ProxyConnectException.hostPort(atProxy.proxy()))));
        }
        String host = target.getHost();
        String hostPort = host + ":" + port(target);
        Throwable t;
        if ((t = find(error, UnknownHostException.class)) != null
                || (t = find(error, UnresolvedAddressException.class)) != null) {
            return "the host name " + host + " could not be resolved";
        }
        if ((t = find(error, CertificateException.class)) != null
                || (t = find(error, CertPathValidatorException.class)) != null) {
            return "the TLS certificate of " + hostPort + " was not accepted (" + name(t) + ")";
        }
        if ((t = find(error, SSLHandshakeException.class)) != null) {
            return "the TLS handshake with " + hostPort + " failed (" + name(t) + ")";
        }
        if ((t = find(error, SSLException.class)) != null) {
            return "TLS with " + hostPort + " failed (" + name(t) + ")";
        }
        if ((t = find(error, NoRouteToHostException.class)) != null) {
            return "there is no route to " + hostPort;
        }
        if ((t = find(error, ConnectException.class)) != null) {
            return refused(error) ? "the connection to " + hostPort + " was refused"
                    : "could not connect to " + hostPort + " (" + name(t) + ")";
        }
        Throwable root = error;
        while (root.getMessage() == null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause(); // a bare wrapper says nothing: its cause might
        }
        return name(root);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Whether any message in the chain says the connection was refused. */
    private static boolean refused(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("refused")) {
                return true;
            }
        }
        return false;
    }

    private static String name(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
