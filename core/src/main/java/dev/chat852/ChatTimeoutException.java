package dev.chat852;

import java.time.Duration;

/** A call waited longer than one of its three timeouts allows. */
public final class ChatTimeoutException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    /** Which wait took too long. */
    public enum Kind {
        /** Opening the connection (TCP and TLS). */
        CONNECT,
        /** From sending the request until the response status and headers arrived. */
        FIRST_BYTE,
        /** Between two pieces of the body, while the caller was ready for more. */
        IDLE
    }

    private final Kind kind;
    private final Duration timeout;

    public ChatTimeoutException(Kind kind, Duration timeout) {
        super(describe(kind) + " took longer than " + timeout.toMillis() + " ms");
        this.kind = kind;
        this.timeout = timeout;
    }

    public Kind kind() {
        return kind;
    }

    /** The limit that was exceeded. */
    public Duration timeout() {
        return timeout;
    }

    private static String describe(Kind kind) {
        switch (kind) {
            case CONNECT: return "connecting";
            case FIRST_BYTE: return "waiting for the response";
            default: return "waiting for the next part of the body";
        }
    }
}
