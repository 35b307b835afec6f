package dev.chat852.internal;

import java.nio.ByteBuffer;

/**
 * A dialect's incremental decoder of a streamed body, delivering what it finds to a {@link CallSink}:
 * the 852 stream through {@code wire.StreamDecoder}, the OpenAI one through {@code wire.OpenAiStreamDecoder}.
 * Ends in {@link CallSink#succeed()} or {@link CallSink#fail} once {@link #finish()} is called (or
 * earlier, for a broken stream). Called one call at a time.
 */
interface StreamParser {
    /** Bytes of the body, valid only during the call. */
    void feed(ByteBuffer chunk);

    /** The body ended normally. */
    void finish();

    /** The body will never continue: what was held back is delivered; nothing more reaches the sink. */
    void streamFailed();
}
