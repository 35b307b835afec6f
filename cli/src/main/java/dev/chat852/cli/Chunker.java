package dev.chat852.cli;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntSupplier;

/**
 * Cuts input into the chunks fed to a decoder. {@link #asRead()} passes each read through as it is;
 * {@link #fixed} and {@link #random} cut at stream offsets that do not depend on how reads happened
 * to fall, so a chunking seen on a pipe is reproduced exactly from a file. Bytes of an incomplete
 * chunk are copied and kept until the rest arrives or {@link #finish} is called.
 */
final class Chunker {

    /** Receives one chunk; the array is only valid during the call. */
    interface Sink {
        void accept(byte[] bytes, int offset, int length);
    }

    /** The largest size {@link #random} draws. */
    static final int MAX_RANDOM_CHUNK = 64;

    private final IntSupplier sizes; // null: as read
    private byte[] pending = new byte[0];
    private int pendingLen;
    private int target;

    private Chunker(IntSupplier sizes) {
        this.sizes = sizes;
        this.target = sizes == null ? 0 : sizes.getAsInt();
    }

    /** Each read becomes one chunk. */
    static Chunker asRead() {
        return new Chunker(null);
    }

    /** Chunks of exactly {@code size} bytes; the last may be shorter. */
    static Chunker fixed(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1, was " + size);
        }
        return new Chunker(() -> size);
    }

    /** Chunk sizes drawn in order from {@code 1 + new Random(seed).nextInt(64)}; the last may be shorter. */
    static Chunker random(long seed) {
        Random random = new Random(seed);
        return new Chunker(() -> 1 + random.nextInt(MAX_RANDOM_CHUNK));
    }

    /** Passes the chunks that {@code bytes[offset, offset + length)} completes to {@code sink}. */
    void push(byte[] bytes, int offset, int length, Sink sink) {
        if (sizes == null) {
            if (length > 0) {
                sink.accept(bytes, offset, length);
            }
            return;
        }
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int take = Math.min(target - pendingLen, end - i);
            if (pendingLen == 0 && take == target) {
                sink.accept(bytes, i, take); // a whole chunk inside this read: no copy
            } else {
                if (pending.length < pendingLen + take) {
                    // Grow with the data, not to the target at once: --chunk-size may be huge.
                    pending = Arrays.copyOf(pending, Math.min(target, Math.max(pendingLen + take, pending.length * 2)));
                }
                System.arraycopy(bytes, i, pending, pendingLen, take);
                pendingLen += take;
                if (pendingLen < target) {
                    return;
                }
                pendingLen = 0;
                sink.accept(pending, 0, target);
            }
            i += take;
            target = sizes.getAsInt();
        }
    }

    /** Passes on the incomplete last chunk, if any. */
    void finish(Sink sink) {
        if (pendingLen > 0) {
            int len = pendingLen;
            pendingLen = 0;
            sink.accept(pending, 0, len);
        }
    }
}
