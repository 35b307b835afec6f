package dev.chat852;

/**
 * The connection failed: refused, reset mid-stream, closed before the response, TLS failure. The
 * cause is what the transport saw.
 */
public final class TransportException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    public TransportException(String message, Throwable cause) {
        super(message, cause);
    }
}
