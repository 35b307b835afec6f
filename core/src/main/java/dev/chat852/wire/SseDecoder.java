package dev.chat852.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Incremental, zero-copy decoder for Server-Sent Events ({@code text/event-stream}), the framing of
 * OpenAI-compatible streams: {@code data:} lines, events ended by a blank line.
 *
 * <p>Feed the body in whatever pieces it arrives, then call {@link #finish()}, or {@link #streamFailed()}
 * if the stream broke off. An event reaches the {@link SseHandler} as soon as its blank line is fed.
 * Its data is a read-only view of the fed bytes when the event has one {@code data:} line that arrived
 * in one feed (the usual case); the decoder copies only data that spans feeds or several lines, at most
 * {@link #maxEventBytes()} of it. Comments and unknown fields are skipped without being kept.
 *
 * <pre>{@code
 * SseDecoder decoder = new SseDecoder((type, data, lastEventId) ->
 *         System.out.println(type + ": " + StandardCharsets.UTF_8.decode(data)));
 * for (ByteBuffer chunk : chunks) decoder.feed(chunk);
 * decoder.finish();
 * }</pre>
 *
 * <p>The rules are the WHATWG event-stream format's (listed in {@code docs/sse-dialect.md}): a leading
 * byte order mark is skipped; lines end at CRLF, LF or a lone CR; {@code :} starts a comment; data lines
 * are joined with LF; a blank line dispatches. One difference, on purpose: at a clean end
 * ({@code finish()}) an event still open is dispatched, so nothing the server sent is lost; after
 * {@code streamFailed()} it is not. Data is delivered as bytes, invalid UTF-8 included.
 *
 * <p>Not thread-safe: one decoder per stream, fed from one thread at a time. The caller must not change
 * the bytes being fed until {@code feed} returns.
 */
public final class SseDecoder {

    /** Default bound on one event's data: 1 MiB, thousands of times an OpenAI chunk. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final int MAX_FIELD_NAME = 5; // "retry", "event": a longer name is unknown

    /** Where in a line the decoder is; {@code afterCr} is orthogonal (an LF right after a CR is skipped). */
    private enum State { BOM, LINE_START, FIELD, VALUE_START, VALUE, SKIP, FINISHED, FAILED }

    private final SseHandler handler;
    private final int maxEventBytes;
    private final SseEvent event;
    private State state = State.BOM;
    private boolean afterCr;
    private int bomMatched;

    private long base; // stream offset of index 0 of the buffer being fed
    private long consumed;
    /** Stream offset of the current event's first field line; -1 between events. */
    private long eventStart = -1;
    private long dispatchedStart = -1; // the event's start while the handler sees it

    private final byte[] fieldName = new byte[MAX_FIELD_NAME + 1];
    private int fieldNameLen;
    private SseEvent.Field field;
    /** Index in the current feed where the current value began, or -1 if it began in an earlier feed. */
    private int valueFrom;

    /** The buffer being fed, and the array behind it (null if none) with the offset of its index 0. */
    private ByteBuffer in;
    private byte[] inputArray;
    private int inputArrayOffset;
    /** A read-only view of the fed bytes, cached per fed array or buffer, for events not copied. */
    private byte[] lastArray;
    private ByteBuffer lastArrayBuffer;
    private ByteBuffer lastInput;
    private ByteBuffer view;

    /** Creates a decoder with the {@linkplain #DEFAULT_MAX_EVENT_BYTES default} event bound. */
    public SseDecoder(SseHandler handler) {
        this(handler, DEFAULT_MAX_EVENT_BYTES);
    }

    /**
     * @param handler receives events, retry values, the end and errors
     * @param maxEventBytes the largest event data (or {@code event}/{@code id} value) accepted, in bytes
     * @throws IllegalArgumentException if {@code maxEventBytes} is negative
     */
    public SseDecoder(SseHandler handler, int maxEventBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        if (maxEventBytes < 0) {
            throw new IllegalArgumentException("maxEventBytes must be >= 0, was " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
        this.event = new SseEvent(maxEventBytes);
    }

    /** The largest event data this decoder accepts, in bytes. */
    public int maxEventBytes() {
        return maxEventBytes;
    }

    /** Bytes fed so far. */
    public long bytesFed() {
        return consumed;
    }

    /** Stream offset of the first line of the event being dispatched (valid during {@code onEvent}). */
    long eventOffset() {
        return dispatchedStart;
    }

    /**
     * Decodes the remaining bytes of {@code input} (its position ends at its limit); after an error they
     * are discarded.
     *
     * @throws IllegalStateException after {@link #finish()} or {@link #streamFailed()}
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
     * @throws IllegalStateException after {@link #finish()} or {@link #streamFailed()}
     */
    public void feed(byte[] array, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, array.length);
        checkOpen();
        if (length == 0) {
            return;
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
     * Ends the stream: a last line without its line break is taken as a line, an event still open is
     * dispatched, then {@link SseHandler#onEnd()} is called. Does nothing more after an error.
     *
     * @throws IllegalStateException if called twice, or after {@link #streamFailed()}
     */
    public void finish() {
        checkOpen();
        try {
            if (state == State.FIELD) {
                field = SseEvent.Field.of(fieldName, fieldNameLen);
                fieldEnded();
            } else if (state == State.VALUE_START || state == State.VALUE) {
                fieldEnded();
            }
            if (state != State.FAILED) {
                dispatch();
                handler.onEnd();
            }
        } finally {
            release();
        }
    }

    /**
     * Ends a stream that failed and will never continue: an event still open is incomplete and is
     * dropped; neither {@link SseHandler#onEnd()} nor {@link SseHandler#onError} is called (the failure
     * is the caller's to report). Safe in any state; feeding after it is an {@link IllegalStateException}.
     */
    public void streamFailed() {
        if (state != State.FINISHED) {
            release();
        }
    }

    private void release() {
        state = State.FINISHED;
        in = null;
        inputArray = null;
        lastArray = null;
        lastArrayBuffer = null;
        lastInput = null;
        view = null;
    }

    private void checkOpen() {
        if (state == State.FINISHED) {
            throw new IllegalStateException("finish() or streamFailed() was already called on this decoder");
        }
    }

    private void decode(ByteBuffer input, int from, int to) {
        base = consumed - from;
        consumed += to - from;
        in = input;
        valueFrom = state == State.VALUE ? -1 : valueFrom;
        try {
            int i = from;
            while (i < to && state != State.FAILED) {
                i = step(i, to);
            }
            if (state == State.VALUE) { // the line goes on in the next feed: what there is of it is kept
                int start = valueFrom < 0 ? from : valueFrom;
                check(field == SseEvent.Field.DATA ? event.append(in, start, to) : event.keepValue(in, start, to, field));
            }
            if (state != State.FAILED) {
                event.unslice(in); // the event goes on in the next feed: its one line is copied now
            }
        } catch (RuntimeException | Error e) {
            state = State.FAILED; // a handler threw: the rest of the stream is discarded
            throw e;
        } finally {
            in = null;
        }
    }

    /** Decodes from {@code i} in the current state; returns the index of the first byte not consumed. */
    private int step(int i, int to) {
        switch (state) {
            case BOM:
                return bom(i);
            case LINE_START: {
                int b = byteAt(i);
                if (afterCr) {
                    afterCr = false;
                    if (b == '\n') {
                        return i + 1;
                    }
                }
                if (b == '\n' || b == '\r') {
                    afterCr = b == '\r';
                    dispatch();
                    return i + 1;
                }
                if (b == ':') {
                    state = State.SKIP; // a comment: skipped, never kept
                    return i + 1;
                }
                if (eventStart < 0) {
                    eventStart = base + i;
                }
                fieldNameLen = 0;
                state = State.FIELD;
                return i;
            }
            case FIELD:
                return fieldName(i, to);
            case VALUE_START:
                state = State.VALUE;
                valueFrom = byteAt(i) == ' ' ? i + 1 : i;
                startValue();
                return valueFrom;
            case VALUE: {
                int eol = indexOfLineEnd(i, to);
                if (eol < 0) {
                    return to; // decode() keeps what there is of the value
                }
                valueBytes(valueFrom < 0 ? i : valueFrom, eol);
                fieldEnded();
                return lineEnded(eol);
            }
            case SKIP: {
                int eol = indexOfLineEnd(i, to);
                return eol < 0 ? to : lineEnded(eol);
            }
            default:
                return to;
        }
    }

    /** Matches a byte order mark at the very start; a partial one that fails begins an unknown field. */
    private int bom(int i) {
        if (byteAt(i) == (BOM[bomMatched] & 0xFF)) {
            if (++bomMatched == BOM.length) {
                state = State.LINE_START;
            }
            return i + 1;
        }
        state = bomMatched == 0 ? State.LINE_START : State.SKIP; // EF or EF BB then not BF: an unknown field
        return i;
    }

    private int fieldName(int i, int to) {
        for (; i < to; i++) {
            int b = byteAt(i);
            if (b == ':') {
                field = SseEvent.Field.of(fieldName, fieldNameLen);
                state = field == SseEvent.Field.OTHER ? State.SKIP : State.VALUE_START;
                return i + 1;
            }
            if (b == '\n' || b == '\r') {
                field = SseEvent.Field.of(fieldName, fieldNameLen); // a line with no colon: the field with an empty value
                fieldEnded();
                return lineEnded(i);
            }
            if (fieldNameLen <= MAX_FIELD_NAME) {
                fieldName[fieldNameLen++] = (byte) b;
            }
        }
        return to;
    }

    /** A value begins, after the optional space. */
    private void startValue() {
        if (field == SseEvent.Field.DATA) {
            check(event.startDataLine(in));
        } else {
            event.startValue();
        }
    }

    /** The last bytes [from, to) of a value, in the feed where its line ends. */
    private void valueBytes(int from, int to) {
        check(field == SseEvent.Field.DATA ? event.endDataLine(in, from, to, valueFrom >= 0)
                : event.keepValue(in, from, to, field));
    }

    /** The current line's field is complete (its line ended, or the stream did). */
    private void fieldEnded() {
        if (state == State.FIELD || state == State.VALUE_START) {
            startValue(); // a line with no colon, or "data:" at the end of the stream: an empty value
        }
        if (state == State.FAILED) {
            return;
        }
        event.valueEnded(field, handler);
        state = State.LINE_START;
    }

    private int lineEnded(int eol) {
        afterCr = byteAt(eol) == '\r';
        if (state != State.FAILED) {
            state = State.LINE_START;
        }
        return eol + 1;
    }

    /** A blank line (or the end): the event goes out if it had data; its type is reset either way. */
    private void dispatch() {
        dispatchedStart = eventStart;
        eventStart = -1;
        event.dispatch(handler, view);
    }

    /** Fails the stream if an event grew past the bound. */
    private void check(boolean fits) {
        if (fits || state == State.FAILED) {
            return;
        }
        state = State.FAILED; // nothing is decoded or dispatched after this
        handler.onError(new FramingException(FramingException.Kind.EVENT_TOO_LARGE, eventStart, "",
                "the event that started at byte " + eventStart + " is longer than the limit of " + maxEventBytes
                        + " bytes"));
    }

    private int byteAt(int i) {
        byte[] a = inputArray;
        return (a != null ? a[inputArrayOffset + i] : in.get(i)) & 0xFF;
    }

    /** Index of the first CR or LF in [from, to) of the current feed, or -1. */
    private int indexOfLineEnd(int from, int to) {
        byte[] a = inputArray;
        if (a == null) {
            return LineEnds.in(in, from, to);
        }
        int found = LineEnds.in(a, from + inputArrayOffset, to + inputArrayOffset);
        return found < 0 ? -1 : found - inputArrayOffset;
    }

    /** Bytes this decoder keeps between feeds (for tests of bounded memory). */
    int retainedBytes() {
        return event.retainedBytes();
    }
}
