package dev.chat852.wire;

/**
 * Receives a decoded stream from a {@link StreamDecoder}: answer text as strings, header blocks
 * parsed, then the end or an error. Calls arrive in stream order, on the thread that feeds.
 */
public interface StreamHandler {

    /** A piece of answer text, never empty. Pieces follow the chunking; concatenate them for the answer. */
    void onText(String text);

    /** A header block. */
    default void onHeader(Header header) {
    }

    /** The stream ended cleanly; all text and headers were delivered. */
    default void onEnd() {
    }

    /**
     * The stream broke the framing rules; all text before the failure was delivered. By default the
     * error is thrown from the {@code feed} or {@code finish} call that found it.
     */
    default void onError(FramingException error) {
        throw error;
    }
}
