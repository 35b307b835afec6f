package dev.chat852.wire;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@link FrameDecoder} with text as {@code String}s and headers parsed: what most callers want.
 *
 * <p>Text is decoded as UTF-8 incrementally: a character split between feeds is decoded whole, and
 * bytes that are not valid UTF-8 become U+FFFD, exactly as decoding each text run of the whole body at
 * once would give. Text before and after a header block is never joined into one character. At most
 * the 3 bytes of an unfinished character are held back from one feed to the next.
 *
 * <pre>{@code
 * StringBuilder answer = new StringBuilder();
 * StreamDecoder decoder = new StreamDecoder(answer::append);
 * decoder.feed(chunk, 0, chunk.length);   // as often as chunks arrive
 * decoder.finish();                       // throws FramingException if the stream was broken
 * }</pre>
 */
public final class StreamDecoder {
    /** Text is joined with a held character in this scratch array; longer text takes two strings. */
    private static final int MAX_SCRATCH = 64 * 1024;
    /** Text shorter than this is made a string directly; see {@link #string}. */
    private static final int MIN_DECODED = 256;

    private final FrameDecoder frames;
    private final StreamHandler handler;
    private byte[] scratch = new byte[256];
    /**
     * An unfinished character from the end of the previous text piece: at most 3 bytes, but room for 4,
     * because the path for text too long to join finishes the character here.
     */
    private final byte[] pending = new byte[4];
    private int pendingLen;
    /** Valid text is decoded here first, so each string costs its own size only; see {@link #string}. */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private char[] chars = new char[0];

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

    /**
     * Ends a stream that failed and will never continue; see {@link FrameDecoder#streamFailed()}. Text
     * held back because it could still begin a marker is delivered, and an unfinished character at the
     * break becomes U+FFFD; then nothing more is called on the handler: report the failure after this
     * returns. Safe in any state.
     *
     * <pre>{@code
     * } catch (IOException e) {        // the connection broke mid-body
     *     decoder.streamFailed();       // "I like cat" + "s": nothing the server sent is lost
     *     listener.failed(e);
     * }
     * }</pre>
     */
    public void streamFailed() {
        frames.streamFailed();
    }

    /** Bytes fed so far. */
    public long bytesFed() {
        return frames.bytesFed();
    }

    /** Bytes kept between feeds (for tests of bounded memory). */
    int retainedBytes() {
        return frames.retainedBytes() + scratch.length + pending.length + 2 * chars.length;
    }

    /** Decodes text bytes, joining a character held from before and holding back an unfinished one. */
    private void text(byte[] a, int off, int len) {
        if (pendingLen > 0) {
            if (pendingLen + len <= MAX_SCRATCH) {
                byte[] joined = scratch(pendingLen + len);
                System.arraycopy(pending, 0, joined, 0, pendingLen);
                System.arraycopy(a, off, joined, pendingLen, len);
                int n = pendingLen + len;
                pendingLen = 0;
                emit(joined, 0, n);
                return;
            }
            // Too long to join: finish the held character on its own, then decode the rest.
            int taken = 0;
            while (taken < len && pendingLen < needed(pending[0]) && continues(pending, pendingLen, a[off + taken])) {
                pending[pendingLen++] = a[off + taken++];
            }
            int n = pendingLen;
            pendingLen = 0;
            handler.onText(new String(pending, 0, n, StandardCharsets.UTF_8));
            off += taken;
            len -= taken;
        }
        emit(a, off, len);
    }

    /** Emits [off, off + len) as a string, except an unfinished character at its end, which is held. */
    private void emit(byte[] a, int off, int len) {
        int keep = unfinishedCharacter(a, off, off + len);
        if (len > keep) {
            handler.onText(string(a, off, len - keep));
        }
        if (keep > 0) {
            System.arraycopy(a, off + len - keep, pending, 0, keep);
            pendingLen = keep;
        }
    }

    /**
     * The UTF-8 bytes as a string. {@code new String(bytes, UTF_8)} allocates about three times the
     * string's size for text that is not Latin-1 (a trial Latin-1 array, a UTF-16 array for the worst
     * case, then the trimmed copy); decoding into a reused char array first leaves the string's own
     * arrays. Text with malformed bytes takes the JDK's path, whose replacement is the reference, and so
     * does short text.
     */
    private String string(byte[] a, int off, int len) {
        if (len < MIN_DECODED || len > MAX_SCRATCH) { // short: the decoder's set-up costs more than it saves
            return new String(a, off, len, StandardCharsets.UTF_8);
        }
        if (chars.length < len) {
            chars = new char[Math.min(MAX_SCRATCH, Math.max(len, 2 * chars.length))];
        }
        CharBuffer out = CharBuffer.wrap(chars);
        CoderResult result = utf8.reset().decode(ByteBuffer.wrap(a, off, len), out, true);
        if (result.isError()) {
            return new String(a, off, len, StandardCharsets.UTF_8);
        }
        return new String(chars, 0, out.position());
    }

    /** A text run ends (header, end, error): a held character can no longer be finished. */
    private void endRun() {
        if (pendingLen > 0) {
            int n = pendingLen;
            pendingLen = 0;
            handler.onText(new String(pending, 0, n, StandardCharsets.UTF_8)); // malformed: U+FFFD
        }
    }

    private byte[] scratch(int size) {
        if (size > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.min(MAX_SCRATCH, Math.max(size, 2 * scratch.length)));
        }
        return scratch;
    }

    /**
     * Length of a valid but unfinished UTF-8 sequence at the end of [from, to), else 0: the bytes the
     * next piece may complete.
     */
    static int unfinishedCharacter(byte[] a, int from, int to) {
        for (int k = 1; k <= 3 && to - k >= from; k++) {
            int b = a[to - k] & 0xFF;
            if (b < 0x80) {
                return 0;
            }
            if (b >= 0xC0) {
                boolean lead = b >= 0xC2 && b <= 0xF4;
                if (!lead || k >= needed(a[to - k]) || (k >= 2 && !validSecondByte(b, a[to - k + 1] & 0xFF))) {
                    return 0;
                }
                return k;
            }
        }
        return 0;
    }

    private static int needed(byte lead) {
        int b = lead & 0xFF;
        return b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    }

    private static boolean continues(byte[] sequence, int length, byte next) {
        return length == 1 ? validSecondByte(sequence[0] & 0xFF, next & 0xFF) : (next & 0xC0) == 0x80;
    }

    /**
     * Whether {@code b} can follow {@code lead} in one sequence: the second byte's range depends on the
     * lead (no overlongs, nothing above U+10FFFF). An encoded surrogate (ED A0..BF ..) is kept together
     * although it is never valid, because the JDK's decoder replaces it with one U+FFFD as a unit: split,
     * it would give two, and the text would depend on the chunking.
     */
    private static boolean validSecondByte(int lead, int b) {
        switch (lead) {
            case 0xE0: return b >= 0xA0 && b <= 0xBF;
            case 0xF0: return b >= 0x90 && b <= 0xBF;
            case 0xF4: return b >= 0x80 && b <= 0x8F;
            default: return (b & 0xC0) == 0x80;
        }
    }

    private final class Adapter implements FrameHandler, ArrayTextSink {
        @Override
        public void onText(byte[] array, int offset, int length) {
            text(array, offset, length);
        }

        @Override
        public void onText(ByteBuffer bytes) {
            // No accessible array (direct or read-only input): copy behind a held character, then decode.
            int held = pendingLen;
            int len = bytes.remaining();
            byte[] copy = held + len <= MAX_SCRATCH ? scratch(held + len) : new byte[held + len];
            System.arraycopy(pending, 0, copy, 0, held);
            bytes.get(bytes.position(), copy, held, len);
            pendingLen = 0;
            emit(copy, 0, held + len);
        }

        @Override
        public void onTextRunEnd() {
            endRun();
        }

        @Override
        public void onHeader(ByteBuffer header) {
            byte[] raw = new byte[header.remaining()];
            header.get(header.position(), raw);
            String text = new String(raw, StandardCharsets.UTF_8);
            handler.onHeader(Header.parse(text));
        }

        @Override
        public void onEnd() {
            endRun();
            handler.onEnd();
        }

        @Override
        public void onError(FramingException error) {
            endRun();
            handler.onError(error);
        }
    }
}
