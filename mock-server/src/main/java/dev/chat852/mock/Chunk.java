package dev.chat852.mock;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * One piece of a recorded response body: its exact bytes and the gap before it. Immutable.
 *
 * <p>A replay sends each chunk as its own HTTP chunk, flushed on its own, {@link #delayMs()} after
 * the previous one (for the first chunk: after the response headers).
 *
 * <pre>{@code
 * Chunk header = Chunk.of(0, "start852{\"apiDate\":\"2026-11-25\"}end852");
 * Chunk halfOfNi = Chunk.of(35, new byte[] {(byte) 0xE4, (byte) 0xBD});   // "你" split in two
 * }</pre>
 */
public final class Chunk {
    private final long delayMs;
    private final byte[] bytes;

    private Chunk(long delayMs, byte[] bytes) {
        if (delayMs < 0 || delayMs > RecordedResponse.MAX_DELAY_MS) {
            throw new IllegalArgumentException("delayMs must be 0.." + RecordedResponse.MAX_DELAY_MS
                    + " (one day), was " + delayMs);
        }
        this.delayMs = delayMs;
        this.bytes = bytes;
    }

    /**
     * A chunk of {@code text} encoded as UTF-8, sent {@code delayMs} after the previous one.
     *
     * @throws IllegalArgumentException if {@code delayMs} is negative or over {@link RecordedResponse#MAX_DELAY_MS}
     */
    public static Chunk of(long delayMs, String text) {
        return new Chunk(delayMs, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A chunk of exactly these bytes (copied), which need not be valid UTF-8. */
    public static Chunk of(long delayMs, byte[] bytes) {
        return new Chunk(delayMs, bytes.clone());
    }

    /** The gap before this chunk, in milliseconds of recorded time. */
    public long delayMs() {
        return delayMs;
    }

    /** Number of bytes. */
    public int size() {
        return bytes.length;
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The bytes as a read-only buffer, without copying. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    /** Whether the bytes are valid UTF-8 on their own (then the recording stores them as {@code text}). */
    public boolean isUtf8() {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The bytes decoded as UTF-8; invalid sequences (a split character) become U+FFFD. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Chunk && ((Chunk) o).delayMs == delayMs && Arrays.equals(((Chunk) o).bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(delayMs) + Arrays.hashCode(bytes);
    }

    /** {@code +35ms "text"}, or {@code +35ms base64:5L2g} when the bytes are not valid UTF-8. */
    @Override
    public String toString() {
        String body = isUtf8() ? '"' + text() + '"' : "base64:" + Base64.getEncoder().encodeToString(bytes);
        return "+" + delayMs + "ms " + body;
    }
}
