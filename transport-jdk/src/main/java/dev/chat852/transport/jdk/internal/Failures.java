package dev.chat852.transport.jdk.internal;

import dev.chat852.ChatTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns what the JDK client reports into what the SPI asks for. */
final class Failures {
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

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
