package dev.chat852.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Finds the next CR or LF, the only bytes an event-stream line scan stops at: eight bytes at a time (SWAR). */
final class LineEnds {
    private static final VarHandle LONGS_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private LineEnds() {
    }

    /** Index of the first CR or LF in {@code a[from, to)}, or -1. */
    static int in(byte[] a, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long w = (long) LONGS_LE.get(a, i);
            long lf = w ^ LFS;
            long cr = w ^ CRS;
            // The lowest set high bit marks the first LF or CR; bits above it may be borrows, so only it is used.
            long hit = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGHS;
            if (hit != 0) {
                return i + (Long.numberOfTrailingZeros(hit) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n' || a[i] == '\r') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first CR or LF in buffer indexes [from, to), or -1 (for buffers with no accessible array). */
    static int in(ByteBuffer b, int from, int to) {
        for (int i = from; i < to; i++) {
            byte x = b.get(i);
            if (x == '\n' || x == '\r') {
                return i;
            }
        }
        return -1;
    }
}
