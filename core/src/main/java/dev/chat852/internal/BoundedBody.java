package dev.chat852.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A whole body kept in memory, never more than its limit. */
final class BoundedBody {
    private static final int EXCERPT_CHARS = 1024;

    private final int limit;
    private byte[] bytes = new byte[256];
    private int size;

    BoundedBody(int limit) {
        this.limit = limit;
    }

    /** Bytes that still fit. */
    int room() {
        return limit - size;
    }

    /** Keeps what fits of {@code chunk}. */
    void add(ByteBuffer chunk) {
        int take = Math.min(room(), chunk.remaining());
        if (size + take > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + take, 2L * bytes.length)));
        }
        chunk.get(chunk.position(), bytes, size, take);
        size += take;
    }

    boolean full() {
        return size >= limit;
    }

    String text() {
        return new String(bytes, 0, size, StandardCharsets.UTF_8);
    }

    /** The start of {@code body}, for an error message. */
    static String excerpt(String body) {
        String trimmed = body.strip();
        return trimmed.length() <= EXCERPT_CHARS ? trimmed : trimmed.substring(0, EXCERPT_CHARS) + "…";
    }
}
