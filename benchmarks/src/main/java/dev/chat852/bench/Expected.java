package dev.chat852.bench;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.Recording;
import java.util.List;

/** The recording as the client checks it: body bytes, chunk sizes, each chunk's scheduled offset. */
final class Expected {
    final byte[] body;
    final int[] sizes;
    final long[] offsetNanos;
    final long[] gapNanos;
    final long headNanos;
    final long nominalNanos;

    Expected(Recording recording, double speed) {
        headNanos = speed == 0 ? 0 : (long) (recording.response().headersDelayMs() * 1_000_000L / speed);
        List<Chunk> chunks = recording.response().chunks();
        body = recording.response().body();
        sizes = new int[chunks.size()];
        offsetNanos = new long[chunks.size()];
        gapNanos = new long[chunks.size()];
        long at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            sizes[i] = chunks.get(i).size();
            gapNanos[i] = speed == 0 ? 0 : (long) (chunks.get(i).delayMs() * 1_000_000L / speed);
            at += gapNanos[i];
            offsetNanos[i] = at;
        }
        nominalNanos = headNanos + at;
    }
}
