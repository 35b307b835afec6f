package dev.chat852.transport.jdk.internal;

import dev.chat852.ChatTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what the JDK client reports into what the SPI asks for. */
final class Failures {
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
     * One plain connect to the same address, with the same bound on time, tells what it was, so the message
     * can say so as the Netty transport's does; the probe's exception is returned with the client's as its
     * cause. Only for a direct connection ({@code target} null otherwise) and only on this failure path.
     */
    static Throwable diagnose(Throwable failure, URI target, Duration connectTimeout) {
        if (target == null || !(failure instanceof ConnectException) || failure.getMessage() != null
                || !(failure.getCause() instanceof ClosedChannelException)) {
            return failure;
        }
        int port = target.getPort() >= 0 ? target.getPort() : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
        long millis = connectTimeout.isZero() ? PROBE_MILLIS : Math.min(PROBE_MILLIS, connectTimeout.toMillis());
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(target.getHost(), port), (int) Math.max(1, millis));
            return failure; // it connects now: the first failure stays as it was reported
        } catch (IOException seen) {
            seen.initCause(failure);
            return seen;
        }
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
