package dev.chat852.wire;

import dev.chat852.internal.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@link FrameDecoder} with text as {@code String}s and headers parsed: what most callers want.
 *
 * <p>Text is decoded as UTF-8 incrementally: a character split between feeds is decoded whole, and
 * bytes that are not valid UTF-8 become U+FFFD, exactly as decoding each text run of the whole body at
 * once would give. Text before and after a header block is never joined into one character.
 *
 * <pre>{@code
 * StringBuilder answer = new StringBuilder();
 * StreamDecoder decoder = new StreamDecoder(answer::append);
 * decoder.feed(chunk, 0, chunk.length);   // as often as chunks arrive
 * decoder.finish();                       // throws ProtocolException if the stream was broken
 * }</pre>
 */
public final class StreamDecoder {
    private static final int SCRATCH_BYTES = 8 * 1024;

    private final FrameDecoder frames;
    private final StreamHandler handler;
    private final byte[] scratch = new byte[SCRATCH_BYTES];

    /** Creates a decoder with the default header bound ({@link FrameDecoder#DEFAULT_MAX_HEADER_BYTES}). */
    public StreamDecoder(StreamHandler handler) {
        this(handler, FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
    }

    /** Creates a decoder that rejects header blocks longer than {@code maxHeaderBytes}. */
    public StreamDecoder(StreamHandler handler, int maxHeaderBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.frames = new FrameDecoder(new Adapter(), maxHeaderBytes);
    }

    /** Decodes the remaining bytes of {@code input}; see {@link FrameDecoder#feed(ByteBuffer)}. */
    public void feed(ByteBuffer input) {
        frames.feed(input);
    }

    /** Decodes {@code length} bytes of {@code array} from {@code offset}. */
    public void feed(byte[] array, int offset, int length) {
        frames.feed(array, offset, length);
    }

    /** Ends the stream; see {@link FrameDecoder#finish()}. */
    public void finish() {
        frames.finish();
    }

    /** Bytes fed so far. */
    public long bytesFed() {
        return frames.bytesFed();
    }

    /** Decodes a read-only buffer's remaining bytes; small ones through a reused scratch array. */
    private String decode(ByteBuffer bytes) {
        int len = bytes.remaining();
        byte[] into = len <= scratch.length ? scratch : new byte[len];
        bytes.get(bytes.position(), into, 0, len);
        return new String(into, 0, len, StandardCharsets.UTF_8);
    }

    private final class Adapter implements FrameHandler {
        @Override
        public void onText(ByteBuffer text) {
            handler.onText(decode(text));
        }

        @Override
        public void onHeader(ByteBuffer header) {
            String raw = decode(header);
            handler.onHeader(new Header(raw, Json.parseOrNull(raw)));
        }

        @Override
        public void onEnd() {
            handler.onEnd();
        }

        @Override
        public void onError(ProtocolException error) {
            handler.onError(error);
        }
    }
}
