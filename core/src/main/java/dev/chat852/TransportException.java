package dev.chat852;

import dev.chat852.internal.ConnectionFailure;
import java.net.URI;

/**
 * The connection failed: refused, reset mid-stream, closed before the response, TLS failure. The
 * cause is what the transport saw.
 */
public final class TransportException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * What a failed connection to {@code target} was, in the words of chat852's own messages, whichever
     * HTTP client reported it: "the host name … could not be resolved", "the connection to host:port was
     * refused", "the TLS handshake with … failed (…)", or else the exception's type and message. For
     * code that talks to the chat API's servers itself, such as the mock server's recorder.
     *
     * <pre>{@code
     * String why = TransportException.describe(cause, URI.create("http://127.0.0.1:8520"));
     * }</pre>
     */
    public static String describe(Throwable error, URI target) {
        return ConnectionFailure.describe(error, target);
    }
}
