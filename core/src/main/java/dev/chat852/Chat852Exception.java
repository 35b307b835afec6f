package dev.chat852;

/**
 * The root of every failure chat852 reports. It is unchecked: callers that care about a kind of
 * failure catch its subclass.
 *
 * <p>No message or field of any chat852 exception ever contains the API token.
 */
public class Chat852Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what went wrong. */
    public Chat852Exception(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that caused it. */
    public Chat852Exception(String message, Throwable cause) {
        super(message, cause);
    }
}
