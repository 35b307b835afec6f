package dev.chat852.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Incremental, zero-copy decoder for the chat API's streaming body: answer text with
 * {@code start852…end852} header blocks anywhere in it and a stray {@code undefined} at the very end.
 *
 * <p>Feed the body in whatever pieces it arrives, then call {@link #finish()}, or {@link #streamFailed()}
 * if the stream broke off (then what was held back is delivered as text, and the failure is yours to
 * report). Text and headers reach
 * the {@link FrameHandler} as read-only views of the fed bytes; the decoder copies only header blocks
 * that span feeds (at most {@link #maxHeaderBytes()}). A possible marker or trailer at the end of a
 * feed is remembered as a count, not copied. Every byte that cannot still turn out to be part of a
 * marker or of the trailing {@code undefined} is delivered before {@code feed} returns. Text is bytes:
 * a character split between feeds arrives in two pieces ({@link StreamDecoder} joins them).
 *
 * <pre>{@code
 * FrameDecoder decoder = new FrameDecoder(new FrameHandler() {
 *     public void onText(ByteBuffer text)     { out.write(text); }
 *     public void onHeader(ByteBuffer header) { quota = StandardCharsets.UTF_8.decode(header); }
 * });
 * for (ByteBuffer chunk : chunks) decoder.feed(chunk);
 * decoder.finish();
 * }</pre>
 *
 * <p>Decoding rules (see {@code docs/wire-format.md}): text outside blocks is delivered in order,
 * including text before a block; {@code start852} opens a block and the first {@code end852} after it
 * closes it; one {@code undefined} that ends the stream is dropped, anywhere else it is text; the
 * stream ending inside a block, or a block longer than the bound, is a {@link FramingException},
 * reported after all text before it.
 *
 * <p>Not thread-safe: one decoder per stream, fed from one thread at a time. The caller must not
 * change the bytes being fed until {@code feed} returns; after it returns the decoder holds no
 * reference to their content that it will read again.
 */
public final class FrameDecoder {

    /** Default bound on the size of one header block: 64 KiB, far above the few hundred bytes seen. */
    public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

    private static final byte[] START = ascii("start852");
    private static final byte[] END = ascii("end852");
    private static final byte[] TRAILER = ascii("undefined");
    /** Both markers contain '8' at this index; '8' is rare in chat text, so it is what we scan for. */
    private static final int START_EIGHT = 5;
    private static final int END_EIGHT = 3;

    private static final VarHandle LONGS_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONGS_LE =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long EIGHTS = 0x3838383838383838L;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    /**
     * For each ASCII byte, the lengths of the held prefixes that end with it (bit k: length k): proper
     * prefixes of start852 and end852, and prefixes of undefined including all of it.
     */
    private static final int[] START_ENDS = prefixEnds(START, START.length - 1);
    private static final int[] END_ENDS = prefixEnds(END, END.length - 1);
    private static final int[] TRAILER_ENDS = prefixEnds(TRAILER, TRAILER.length);
    /** Whether an ASCII byte ends some held text prefix: one lookup decides most feeds. */
    private static final boolean[] ENDS_A_PREFIX = new boolean[128];

    static {
        for (int b = 0; b < 128; b++) {
            ENDS_A_PREFIX[b] = (START_ENDS[b] | TRAILER_ENDS[b]) != 0;
        }
    }

    private enum State { TEXT, HEADER, FINISHED, FAILED }

    private final FrameHandler handler;
    private final int maxHeaderBytes;
    private State state = State.TEXT;

    /** Stream offset of index 0 of the buffer being fed (so offset of index i is base + i). */
    private long base;
    private long consumed;

    /** Prefix of START, TRAILER (in TEXT) or END (in HEADER) seen at the end of the last feed; null if none. */
    private byte[] held;
    private int heldLen;

    /** Header bytes of a block that spans feeds; grows on demand up to maxHeaderBytes. */
    private byte[] headerBuf = new byte[0];
    private int headerLen;
    private long headerOffset;

    /** Set when the handler is the string layer, which takes text as array ranges: no view, no copy. */
    private final ArrayTextSink arraySink;
    /** The array behind the bytes being fed, with the offset of buffer index 0 in it; null if none. */
    private byte[] inputArray;
    private int inputArrayOffset;

    /** Views handed to the handler, cached per fed array or buffer so that feeding does not allocate. */
    private byte[] lastArray;
    private ByteBuffer lastArrayBuffer;
    private ByteBuffer lastInput;
    private ByteBuffer view;
    private ByteBuffer startView;
    private ByteBuffer trailerView;

    /** Creates a decoder with the {@linkplain #DEFAULT_MAX_HEADER_BYTES default} header bound. */
    public FrameDecoder(FrameHandler handler) {
        this(handler, DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * Creates a decoder.
     *
     * @param handler receives text, headers, the end and errors
     * @param maxHeaderBytes the largest header block accepted, in bytes (excluding its markers)
     * @throws IllegalArgumentException if {@code maxHeaderBytes} is negative
     */
    public FrameDecoder(FrameHandler handler, int maxHeaderBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.arraySink = handler instanceof ArrayTextSink ? (ArrayTextSink) handler : null;
        if (maxHeaderBytes < 0) {
            throw new IllegalArgumentException("maxHeaderBytes must be >= 0, was " + maxHeaderBytes);
        }
        this.maxHeaderBytes = maxHeaderBytes;
    }

    /** The largest header block this decoder accepts, in bytes. */
    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    /** Bytes fed so far. */
    public long bytesFed() {
        return consumed;
    }

    /**
     * Decodes the remaining bytes of {@code input}, delivering what they complete to the handler. On
     * return the buffer's position equals its limit. After a protocol error the bytes are discarded.
     *
     * @throws IllegalStateException if {@link #finish()} was called
     */
    public void feed(ByteBuffer input) {
        checkOpen();
        int from = input.position();
        int to = input.limit();
        if (from == to) {
            return;
        }
        if (input != lastInput) {
            lastInput = input;
            lastArray = null;
            view = input.asReadOnlyBuffer();
        }
        inputArray = input.hasArray() ? input.array() : null;
        inputArrayOffset = inputArray == null ? 0 : input.arrayOffset();
        decode(input, from, to);
        input.position(to);
    }

    /**
     * Decodes {@code length} bytes of {@code array} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the array
     * @throws IllegalStateException if {@link #finish()} was called
     */
    public void feed(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        if (length == 0 || state != State.TEXT) { // one check on the common path
            checkOpen();
            if (length == 0) {
                return;
            }
        }
        if (array != lastArray) {
            lastArray = array;
            lastInput = null;
            lastArrayBuffer = ByteBuffer.wrap(array);
            view = lastArrayBuffer.asReadOnlyBuffer();
        }
        inputArray = array;
        inputArrayOffset = 0;
        decode(lastArrayBuffer, offset, offset + length);
    }

    /**
     * Ends the stream: delivers what was held back (dropping one trailing {@code undefined}), then
     * calls {@link FrameHandler#onEnd()}, or {@link FrameHandler#onError} if the stream ended inside a
     * header block. Does nothing more if a protocol error was already reported.
     *
     * @throws IllegalStateException if called twice
     */
    public void finish() {
        checkOpen();
        try {
            if (state == State.HEADER) {
                if (held == END) {
                    int n = heldLen; // the stream ended, so a partial end852 was header content after all
                    clearHeld();
                    appendHeaderConstant(END, n);
                }
                if (state == State.HEADER) {
                    fail(FramingException.Kind.UNTERMINATED_HEADER, "the stream ended inside the header block"
                            + " that started at byte " + headerOffset + ", before its end852 (" + headerLen
                            + " header bytes received)", partialHeader());
                }
            } else if (state == State.TEXT) {
                if (held == START || (held == TRAILER && heldLen < TRAILER.length)) {
                    deliverConstant(held, heldLen);
                }
                clearHeld();
                handler.onEnd();
            }
        } finally {
            state = State.FINISHED;
            lastArray = null;
            lastArrayBuffer = null;
            lastInput = null;
            view = null;
            inputArray = null;
        }
    }

    /**
     * Ends a stream that failed and will never continue: the connection broke, a timeout fired, the
     * body was cut at a bound. Bytes held back only because they could still begin a marker or the
     * trailer ({@code s} of {@code start852}, {@code undef}) can begin nothing now, so they are
     * delivered as text; then the decoder is done, and neither {@link FrameHandler#onEnd()} nor
     * {@link FrameHandler#onError} is called: the failure is the caller's to report, after this returns.
     *
     * <p>Text is delivered exactly as {@link #finish()} would deliver it for the bytes fed so far: a
     * complete {@code undefined} right before the break is dropped as the trailer, and a header block
     * still open is dropped (the stream's failure, not the block, is what went wrong).
     *
     * <p>Safe in any state: after {@link #finish()}, a protocol error, a handler that threw, or an
     * earlier call, it does nothing. Feeding after it is an {@link IllegalStateException}.
     */
    public void streamFailed() {
        if (state == State.FINISHED) {
            return;
        }
        try {
            if (state == State.TEXT) {
                byte[] pattern = held;
                int n = heldLen;
                if (pattern == START || (pattern == TRAILER && n < TRAILER.length)) {
                    deliverConstant(pattern, n);
                }
                if (arraySink != null) {
                    arraySink.onTextRunEnd(); // a split character can no longer be finished
                }
            }
        } finally {
            state = State.FINISHED;
            clearHeld();
            lastArray = null;
            lastArrayBuffer = null;
            lastInput = null;
            view = null;
            inputArray = null;
        }
    }

    private void checkOpen() {
        if (state == State.FINISHED) {
            throw new IllegalStateException("finish() was already called on this decoder");
        }
    }

    private void decode(ByteBuffer in, int from, int to) {
        base = consumed - from;
        consumed += to - from;
        try {
            int i = from;
            if (state == State.TEXT && held == null) {
                // The common feed: text with no '8' that could complete a marker. Kept small so that it
                // compiles into the caller; anything else takes the general loop below.
                int eight = indexOfEight(in, i, to);
                if (eight < 0 || eight + 2 >= to) {
                    deliverText(i, to - holdTextTail(in, i, to));
                    return;
                }
                i = scanText(in, i, to, eight);
            }
            while (i < to) {
                if (state == State.TEXT) {
                    i = text(in, i, to);
                } else if (state == State.HEADER) {
                    i = header(in, i, to);
                } else {
                    return; // FAILED: the rest of the stream is discarded
                }
            }
        } catch (RuntimeException | Error e) {
            state = State.FAILED; // a handler threw (or rethrew an error): the rest of the stream is discarded
            throw e;
        }
    }

    /** Decodes text from {@code i}; returns where it stopped (at {@code to}, or after a start852). */
    private int text(ByteBuffer in, int i, int to) {
        if (held != null) {
            i = resumeHeld(in, i, to);
            if (i == to || state != State.TEXT) {
                return i;
            }
        }
        return scanText(in, i, to, indexOfEight(in, i, to));
    }

    /** Scans text from {@code start}, given the first '8' at or after it ({@code eight}, or -1). */
    private int scanText(ByteBuffer in, int start, int to, int eight) {
        while (eight >= 0 && eight + 2 < to) {
            int marker = eight - START_EIGHT;
            if (marker >= start && regionMatches(in, marker, START, START.length)) {
                deliverText(start, marker);
                openBlock(marker);
                return marker + START.length;
            }
            eight = indexOfEight(in, eight + 1, to);
        }
        int keep = holdTextTail(in, start, to);
        deliverText(start, to - keep);
        return to;
    }

    /** Decodes header bytes from {@code i}; returns where it stopped (at {@code to}, or after an end852). */
    private int header(ByteBuffer in, int i, int to) {
        if (held != null) {
            i = resumeHeld(in, i, to);
            if (i == to || state != State.HEADER) {
                return i;
            }
        }
        int start = i;
        int scan = i;
        int eight;
        while ((eight = indexOfEight(in, scan, to)) >= 0 && eight + 2 < to) {
            int marker = eight - END_EIGHT;
            if (marker >= start && regionMatches(in, marker, END, END.length)) {
                closeBlock(in, start, marker);
                return marker + END.length;
            }
            scan = eight + 1;
        }
        int last = byteAt(in, to - 1);
        int keep = last < 0 ? 0 : heldPrefix(in, start, to, END, END_ENDS[last]);
        if (keep > 0) {
            held = END;
            heldLen = keep;
        }
        appendHeader(in, start, to - keep);
        return to;
    }

    /**
     * Continues matching the pattern held at the end of the last feed. Returns the index of the first
     * byte not consumed: the block opens or closes if the pattern completes; if it fails, its bytes
     * are passed on (as text or header) and the failing byte is left for the normal scan.
     */
    private int resumeHeld(ByteBuffer in, int i, int to) {
        byte[] pattern = held;
        int n = heldLen;
        while (i < to && n < pattern.length && in.get(i) == pattern[n]) {
            n++;
            i++;
        }
        if (i == to && (n < pattern.length || pattern == TRAILER)) {
            heldLen = n; // still a possible match (or a complete trailer that may end the stream): hold
            return i;
        }
        clearHeld();
        if (n == pattern.length && pattern != TRAILER) {
            if (pattern == START) {
                openBlock(i - START.length); // offsets of held bytes are before this feed: base covers them
            } else {
                closeHeldBlock();
            }
            return i;
        }
        // Mismatch, or a complete "undefined" followed by more bytes: it was content after all.
        if (pattern == END) {
            appendHeaderConstant(END, n);
        } else {
            deliverConstant(pattern, n);
        }
        return i;
    }

    /**
     * How many bytes at the end of the text region [start, to) to hold back: a prefix of start852, or a
     * prefix of (or the whole) undefined. At most one can apply: the patterns share no letters at their
     * starts and have no self-overlap. The last byte says which prefix lengths are possible at all (for
     * most feeds, none), so only those are checked.
     */
    private int holdTextTail(ByteBuffer in, int start, int to) {
        int last = byteAt(in, to - 1);
        if (last < 0 || !ENDS_A_PREFIX[last]) {
            return 0;
        }
        int keep = heldPrefix(in, start, to, START, START_ENDS[last]);
        if (keep > 0) {
            held = START;
            heldLen = keep;
            return keep;
        }
        keep = heldPrefix(in, start, to, TRAILER, TRAILER_ENDS[last]);
        if (keep > 0) {
            held = TRAILER;
            heldLen = keep;
        }
        return keep;
    }

    /**
     * Length of the suffix of [start, to) that is a prefix of {@code pattern}, among the lengths set in
     * {@code candidates} (bit k: length k); 0 if none.
     */
    private int heldPrefix(ByteBuffer in, int start, int to, byte[] pattern, int candidates) {
        for (int bits = candidates; bits != 0; bits &= bits - 1) {
            int k = Integer.numberOfTrailingZeros(bits);
            if (k <= to - start && regionMatches(in, to - k, pattern, k)) {
                return k;
            }
        }
        return 0;
    }

    /** The byte at buffer index {@code i}, from the array behind the buffer when there is one. */
    private int byteAt(ByteBuffer in, int i) {
        byte[] a = inputArray;
        return a != null ? a[inputArrayOffset + i] : in.get(i);
    }

    private void clearHeld() {
        held = null;
        heldLen = 0;
    }

    private void openBlock(int markerIndex) {
        state = State.HEADER;
        headerOffset = base + markerIndex;
        headerLen = 0;
        if (arraySink != null) {
            arraySink.onTextRunEnd();
        }
    }

    /** Closes a block whose end852 was found in this feed at {@code end}; content from {@code start}. */
    private void closeBlock(ByteBuffer in, int start, int end) {
        if (headerLen == 0) {
            if (end - start > maxHeaderBytes) {
                appendHeader(in, start, end); // reports the oversize block
                return;
            }
            state = State.TEXT;
            deliver(view, start, end, false);
            return;
        }
        appendHeader(in, start, end);
        if (state == State.HEADER) {
            closeHeldBlock();
        }
    }

    /** Closes a block whose content is all in headerBuf. */
    private void closeHeldBlock() {
        state = State.TEXT;
        int len = headerLen;
        headerLen = 0;
        handler.onHeader(ByteBuffer.wrap(headerBuf, 0, len).asReadOnlyBuffer());
    }

    private void appendHeader(ByteBuffer in, int from, int to) {
        int len = to - from;
        if (len == 0) {
            return;
        }
        int room = maxHeaderBytes - headerLen;
        ensureHeaderCapacity(headerLen + Math.min(len, room));
        in.get(from, headerBuf, headerLen, Math.min(len, room));
        if (len > room) {
            headerLen = maxHeaderBytes;
            failOversize();
            return;
        }
        headerLen += len;
    }

    private void appendHeaderConstant(byte[] pattern, int len) {
        int room = maxHeaderBytes - headerLen;
        ensureHeaderCapacity(headerLen + Math.min(len, room));
        System.arraycopy(pattern, 0, headerBuf, headerLen, Math.min(len, room));
        if (len > room) {
            headerLen = maxHeaderBytes;
            failOversize();
            return;
        }
        headerLen += len;
    }

    private void ensureHeaderCapacity(int needed) {
        if (needed > headerBuf.length) {
            int grown = Math.max(needed, Math.min(maxHeaderBytes, Math.max(256, headerBuf.length * 2)));
            headerBuf = Arrays.copyOf(headerBuf, grown);
        }
    }

    private void failOversize() {
        fail(FramingException.Kind.HEADER_TOO_LARGE, "the header block that started at byte " + headerOffset
                + " is longer than the limit of " + maxHeaderBytes + " bytes", partialHeader());
    }

    private String partialHeader() {
        return new String(headerBuf, 0, headerLen, StandardCharsets.UTF_8);
    }

    private void fail(FramingException.Kind kind, String message, String partialHeader) {
        state = State.FAILED;
        clearHeld();
        handler.onError(new FramingException(kind, headerOffset, partialHeader, message));
    }

    private void deliverText(int from, int to) {
        if (to > from) {
            if (arraySink != null && inputArray != null) {
                arraySink.onText(inputArray, inputArrayOffset + from, to - from);
            } else {
                deliver(view, from, to, true);
            }
        }
    }

    /** Delivers a held prefix that turned out to be text: its bytes are the pattern's, not the input's. */
    private void deliverConstant(byte[] pattern, int len) {
        if (arraySink != null) {
            arraySink.onText(pattern, 0, len);
            return;
        }
        ByteBuffer v;
        if (pattern == START) {
            v = startView != null ? startView : (startView = ByteBuffer.wrap(START).asReadOnlyBuffer());
        } else {
            v = trailerView != null ? trailerView : (trailerView = ByteBuffer.wrap(TRAILER).asReadOnlyBuffer());
        }
        deliver(v, 0, len, true);
    }

    private void deliver(ByteBuffer v, int from, int to, boolean text) {
        v.limit(to);
        v.position(from);
        if (text) {
            handler.onText(v);
        } else {
            handler.onHeader(v);
        }
    }

    private boolean regionMatches(ByteBuffer in, int at, byte[] pattern, int len) {
        for (int k = 0; k < len; k++) {
            if (byteAt(in, at + k) != pattern[k]) {
                return false;
            }
        }
        return true;
    }

    /** Index of the first '8' in [from, to), or -1; eight bytes at a time (SWAR). */
    private int indexOfEight(ByteBuffer in, int from, int to) {
        byte[] a = inputArray;
        if (a != null) {
            int offset = inputArrayOffset;
            int found = indexOfEight(a, from + offset, to + offset);
            return found < 0 ? -1 : found - offset;
        }
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long hit = eights((long) BUFFER_LONGS_LE.get(in, i));
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (in.get(i) == '8') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOfEight(byte[] a, int from, int to) {
        int i = from;
        for (; i <= to - 4 * Long.BYTES; i += 4 * Long.BYTES) { // four words per branch
            long w0 = eights((long) LONGS_LE.get(a, i));
            long w1 = eights((long) LONGS_LE.get(a, i + Long.BYTES));
            long w2 = eights((long) LONGS_LE.get(a, i + 2 * Long.BYTES));
            long w3 = eights((long) LONGS_LE.get(a, i + 3 * Long.BYTES));
            if ((w0 | w1 | w2 | w3) != 0) {
                return w0 != 0 ? i + (Long.numberOfTrailingZeros(w0) >>> 3)
                        : w1 != 0 ? i + Long.BYTES + (Long.numberOfTrailingZeros(w1) >>> 3)
                        : w2 != 0 ? i + 2 * Long.BYTES + (Long.numberOfTrailingZeros(w2) >>> 3)
                        : i + 3 * Long.BYTES + (Long.numberOfTrailingZeros(w3) >>> 3);
            }
        }
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long hit = eights((long) LONGS_LE.get(a, i));
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '8') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Sets the high bit of each byte of {@code word} that equals '8'. Bits above the lowest hit may be
     * false positives (borrows), so only the lowest is used.
     */
    private static long eights(long word) {
        long x = word ^ EIGHTS;
        return (x - ONES) & ~x & HIGHS;
    }

    /** Bytes this decoder keeps between feeds (for tests of bounded memory). */
    int retainedBytes() {
        return headerBuf.length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int[] prefixEnds(byte[] pattern, int maxLen) {
        int[] ends = new int[128];
        for (int k = 1; k <= maxLen; k++) {
            ends[pattern[k - 1]] |= 1 << k;
        }
        return ends;
    }
}
