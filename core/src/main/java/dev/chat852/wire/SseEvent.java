package dev.chat852.wire;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The event an {@link SseDecoder} is putting together: its data lines, its type, the last event ID.
 * The data is not copied while it is one line inside one feed (a slice of that feed, delivered as a
 * view); it is copied when a second line comes or the feed ends first. Every append checks the bound,
 * on the event's logical size, so the outcome never depends on the chunking.
 */
final class SseEvent {
    private static final String MESSAGE = "message";

    /** The fields a line may name; any other is ignored. */
    enum Field {
        DATA, EVENT, ID, RETRY, OTHER;

        /** The field named by {@code name[0, len)}. */
        static Field of(byte[] n, int len) {
            if (len == 4 && n[0] == 'd' && n[1] == 'a' && n[2] == 't' && n[3] == 'a') {
                return DATA;
            }
            if (len == 2 && n[0] == 'i' && n[1] == 'd') {
                return ID;
            }
            if (len == 5 && n[0] == 'e' && n[1] == 'v' && n[2] == 'e' && n[3] == 'n' && n[4] == 't') {
                return EVENT;
            }
            boolean retry = len == 5 && n[0] == 'r' && n[1] == 'e' && n[2] == 't' && n[3] == 'r' && n[4] == 'y';
            return retry ? RETRY : OTHER;
        }
    }

    private final int maxBytes;
    /** data lines seen; the event is dispatched only if there was one. */
    private int lines;
    /** The data when it is one line inside the current feed: [sliceFrom, sliceTo) of the input. */
    private boolean slice;
    private int sliceFrom;
    private int sliceTo;
    /** The data when it was copied; grows up to maxBytes. */
    private byte[] data = new byte[0];
    private int dataLen;
    /** The value of an event, id or retry line. */
    private byte[] value = new byte[0];
    private int valueLen;
    private String type;
    private String lastEventId = "";
    /** A retry value so far, and whether it has been only digits. */
    private long retry;
    private boolean retryDigits;

    SseEvent(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** A data line begins: joined to the lines before it with LF. False if that passes the bound. */
    boolean startDataLine(ByteBuffer in) {
        boolean fits = true;
        if (lines > 0) {
            unslice(in);
            fits = append((byte) '\n');
        }
        lines++;
        return fits;
    }

    /** The last bytes [from, to) of a data line that began at {@code from} in this feed: kept as a slice if alone. */
    boolean endDataLine(ByteBuffer in, int from, int to, boolean begunHere) {
        if (lines == 1 && dataLen == 0 && !slice && begunHere && to > from) {
            slice = true;
            sliceFrom = from;
            sliceTo = to;
            return to - from <= maxBytes;
        }
        return append(in, from, to);
    }

    /**
     * The feed ends inside the event: a slice of it is copied, since the feed's bytes may change. It
     * always fits: a slice is the event's only data, and it was checked against the bound when it was made.
     */
    void unslice(ByteBuffer in) {
        if (slice) {
            slice = false;
            append(in, sliceFrom, sliceTo);
        }
    }

    boolean append(ByteBuffer in, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return true;
        }
        if (n > maxBytes - dataLen) {
            return false;
        }
        data = grow(data, dataLen + n);
        in.get(from, data, dataLen, n);
        dataLen += n;
        return true;
    }

    private boolean append(byte b) {
        if (dataLen >= maxBytes) {
            return false;
        }
        data = grow(data, dataLen + 1);
        data[dataLen++] = b;
        return true;
    }

    void startValue() {
        valueLen = 0;
        retry = 0;
        retryDigits = true;
    }

    /**
     * Bytes [from, to) of an event, id or retry value. False if that passes the bound. A retry value is
     * read as it comes, never kept: any length costs nothing.
     */
    boolean keepValue(ByteBuffer in, int from, int to, Field field) {
        int n = to - from;
        if (field == Field.RETRY) {
            for (int i = from; i < to && retryDigits; i++) {
                int d = in.get(i) - '0';
                retryDigits = d >= 0 && d <= 9;
                retry = retry > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : retry * 10 + d;
                valueLen = 1; // not empty
            }
            return true;
        }
        if (n == 0) {
            return true;
        }
        if (n > maxBytes - valueLen) {
            return false;
        }
        value = grow(value, valueLen + n);
        in.get(from, value, valueLen, n);
        valueLen += n;
        return true;
    }

    /** The line of {@code field} ended: an event type or id is set, a valid retry goes to {@code handler}. */
    void valueEnded(Field field, SseHandler handler) {
        if (field == Field.EVENT) {
            type = new String(value, 0, valueLen, StandardCharsets.UTF_8);
        } else if (field == Field.ID) {
            for (int k = 0; k < valueLen; k++) {
                if (value[k] == 0) {
                    return; // an id with U+0000 is ignored
                }
            }
            lastEventId = new String(value, 0, valueLen, StandardCharsets.UTF_8);
        } else if (field == Field.RETRY && valueLen > 0 && retryDigits) {
            handler.onRetry(retry);
        }
    }

    /** A blank line: the event goes to {@code handler} if it had data ({@code view} shows the input); then it is reset. */
    void dispatch(SseHandler handler, ByteBuffer view) {
        if (lines > 0) {
            ByteBuffer bytes;
            if (slice) {
                view.limit(sliceTo);
                view.position(sliceFrom);
                bytes = view;
            } else {
                bytes = ByteBuffer.wrap(data, 0, dataLen).asReadOnlyBuffer();
            }
            String t = type == null || type.isEmpty() ? MESSAGE : type;
            reset(); // before the handler runs: one that throws leaves nothing half-reset
            handler.onEvent(t, bytes, lastEventId);
            return;
        }
        reset();
    }

    /** Forgets the dispatched event; its data is no longer to be read. */
    private void reset() {
        lines = 0;
        dataLen = 0;
        slice = false;
        type = null;
    }

    int retainedBytes() {
        return data.length + value.length;
    }

    private byte[] grow(byte[] a, int needed) {
        return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, Math.min(maxBytes, Math.max(64, a.length * 2))));
    }
}
