package dev.chat852.wire;

import java.nio.ByteBuffer;

/**
 * Receives what an {@link SseDecoder} finds in an event stream, in stream order, on the thread that
 * feeds.
 *
 * <p>The data buffer passed to {@link #onEvent} is a read-only view valid only during the call: the
 * decoder reuses it, and it may share memory with the buffer the caller fed. Read it, or copy what must
 * outlive the call.
 */
@FunctionalInterface
public interface SseHandler {

    /**
     * An event: one that had at least one {@code data} line, dispatched by its blank line (or by the
     * stream's clean end).
     *
     * @param type the {@code event} field's value, or {@code "message"} if it had none (or an empty one)
     * @param data the {@code data} lines' values joined with LF, as bytes (UTF-8, not checked)
     * @param lastEventId the last {@code id} the stream set, or {@code ""} if none
     */
    void onEvent(String type, ByteBuffer data, String lastEventId);

    /** A {@code retry} field with only ASCII digits: the reconnection time the server asks for. */
    default void onRetry(long millis) {
    }

    /** The stream ended cleanly: every event has been delivered. Not called after {@link SseDecoder#streamFailed()}. */
    default void onEnd() {
    }

    /**
     * An event grew past the decoder's bound. Called at most once, after every event before it; the
     * decoder ignores any further input. By default the error is thrown from the {@code feed} call.
     */
    default void onError(FramingException error) {
        throw error;
    }
}
