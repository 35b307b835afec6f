package dev.chat852.wire;

import java.nio.ByteBuffer;

/**
 * Receives what a {@link FrameDecoder} finds in the stream, in stream order.
 *
 * <p>Buffers passed to {@link #onText} and {@link #onHeader} are read-only views that are valid only
 * for the duration of the call: the decoder reuses them, and most of them share memory with the
 * buffer the caller fed. Read them, or copy what must outlive the call. The handler may move their
 * position and limit.
 *
 * <p>Text is bytes, delivered as soon as it is known to be text: a multi-byte character split between
 * two feeds arrives split between two text buffers. {@link StreamDecoder} joins such characters.
 */
public interface FrameHandler {

    /**
     * Answer text: bytes outside header blocks, minus the stream's trailing {@code undefined}. Called
     * as soon as bytes are known to be text, possibly several times per {@code feed}; never with an
     * empty buffer.
     */
    void onText(ByteBuffer text);

    /** The bytes between a {@code start852} and the {@code end852} that closes it (usually JSON). */
    void onHeader(ByteBuffer header);

    /**
     * The stream ended without a protocol error; every text and header has been delivered. Not called
     * for a stream that failed ({@link FrameDecoder#streamFailed()}): its caller reports that.
     */
    default void onEnd() {
    }

    /**
     * The stream broke the framing rules. Called at most once, after all text before the failure has
     * been delivered; the decoder ignores any further input. By default the error is thrown, so it
     * leaves the {@code feed} or {@code finish} call that found it.
     */
    default void onError(FramingException error) {
        throw error;
    }
}
