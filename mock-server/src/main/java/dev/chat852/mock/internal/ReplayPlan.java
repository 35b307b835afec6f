package dev.chat852.mock.internal;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse.Framing;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.protocol.ChatApi;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * What a replay will send, worked out before the first byte: the body cut into segments, each with
 * the gap before it, and how the response ends. Pure data, so the cutting and timing rules are
 * tested without a network.
 *
 * <p>Timing: every body byte has the recorded time at which its chunk arrived (scaled by speed). A
 * segment is sent when its last byte was available, so re-chunking never sends a byte early; gaps are
 * relative to the previous segment, so a stall delays everything after it.
 *
 * <p>Memory: in proportion to the segments, never to the body. Segments are ranges of the recorded
 * chunks, copied from them only when sent ({@link #bytesAt}); the cuts are worked out one at a
 * time. A plan is made for every request, so a 16 MiB answer must not cost another 16 MiB (or two,
 * as it did with a copy of the body and a flag per byte).
 */
public final class ReplayPlan {

    /** How the response ends after its last segment. */
    public enum Ending {
        /** The terminating chunk (or the last Content-Length byte); the connection stays open if kept alive. */
        COMPLETE,
        /** TCP RST. */
        RESET,
        /** FIN, mid-body. */
        TRUNCATE
    }

    /** Headers a replay never copies from a recording: hop-by-hop, framing and the CORS ones it sets itself. */
    private static final Set<String> NOT_REPLAYED = Set.of("connection", "keep-alive", "proxy-connection",
            "transfer-encoding", "content-length", "te", "trailer", "upgrade", "date",
            "access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers",
            "access-control-expose-headers", "access-control-max-age", "access-control-allow-credentials");

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final Framing framing;
    private final long headersDelayNanos;
    /** The recorded chunks, whose bytes segments are copied from, and where each ends in the body. */
    private final List<Chunk> chunks;
    private final int[] chunkEnds;
    private final int[] offsets;
    private final int[] lengths;
    private final long[] delaysNanos;
    private final int bytesSent;
    private final long endDelayNanos;
    private final Ending ending;
    /** {@link #body()}, made on its first call: a replay itself never needs the body in one piece. */
    private byte[] body;

    private ReplayPlan(int status, List<Map.Entry<String, String>> headers, Framing framing, long headersDelayNanos,
                       List<Chunk> chunks, int[] chunkEnds, Segments segments, long endDelayNanos, Ending ending) {
        this.status = status;
        this.headers = headers;
        this.framing = framing;
        this.headersDelayNanos = headersDelayNanos;
        this.chunks = chunks;
        this.chunkEnds = chunkEnds;
        this.offsets = Arrays.copyOf(segments.offsets, segments.count);
        this.lengths = Arrays.copyOf(segments.lengths, segments.count);
        this.delaysNanos = Arrays.copyOf(segments.delays, segments.count);
        this.bytesSent = segments.count == 0 ? 0 : segments.offsets[segments.count - 1] + segments.lengths[segments.count - 1];
        this.endDelayNanos = endDelayNanos;
        this.ending = ending;
    }

    /**
     * Plans a replay of {@code response} with this framing; a {@code status} fault's body is always framed
     * by Content-Length.
     *
     * @param speed 1 = recorded timing, 2 = twice as fast, 0 = no recorded delays at all
     * @param faults the response's own faults plus the server's
     */
    public static ReplayPlan of(RecordedResponse response, Framing framing, double speed, Rechunk rechunk,
                                List<Fault> faults) {
        if (!(speed >= 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a finite number >= 0, was " + speed);
        }
        long extraHeadersDelay = 0;
        Fault.Status statusFault = null;
        for (Fault f : faults) {
            if (f instanceof Fault.Delay) {
                extraHeadersDelay = plus(extraHeadersDelay, millisToNanos(((Fault.Delay) f).millis()));
            } else if (f instanceof Fault.Status && statusFault == null) {
                statusFault = (Fault.Status) f;
            }
        }
        RecordedResponse r = response;
        if (statusFault != null) {
            // The fault replaces the recording; its timing goes with it.
            r = RecordedResponse.builder().status(statusFault.code())
                    .header("Content-Type", ChatApi.JSON_CONTENT_TYPE)
                    .chunk(0, statusFault.body()).build();
            framing = Framing.CONTENT_LENGTH;
        }
        List<Chunk> chunks = r.chunks();

        // Recorded arrival time of each chunk's bytes, scaled.
        int[] chunkEnds = new int[chunks.size()];
        long[] chunkTimes = new long[chunks.size()];
        long elapsedMs = 0;
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            elapsedMs += c.delayMs();
            at += c.size();
            chunkEnds[i] = at;
            chunkTimes[i] = scale(elapsedMs, speed);
        }
        int n = at;
        long totalTime = scale(elapsedMs, speed);

        // Cuts besides the rechunking's: the stalls, and where the body stops. The rechunking's come one
        // at a time (Cuts), so the plan's memory follows its segments, not the body.
        TreeSet<Integer> extras = new TreeSet<>();
        Map<Integer, Long> stalls = new HashMap<>();
        int stop = n;
        Ending ending = Ending.COMPLETE;
        for (Fault f : faults) {
            if (f instanceof Fault.Stall) {
                int off = clamp(((Fault.Stall) f).afterBytes(), n);
                stalls.merge(off, millisToNanos(((Fault.Stall) f).millis()), ReplayPlan::plus);
                extras.add(off);
            } else if (f instanceof Fault.Reset || f instanceof Fault.Truncate) {
                long after = f instanceof Fault.Reset ? ((Fault.Reset) f).afterBytes() : ((Fault.Truncate) f).afterBytes();
                int off = clamp(after, n);
                if (ending == Ending.COMPLETE || off < stop) {
                    stop = off;
                    ending = f instanceof Fault.Reset ? Ending.RESET : Ending.TRUNCATE;
                }
            }
        }
        extras.add(stop);
        int[] extraCuts = extras.tailSet(1).stream().mapToInt(Integer::intValue).toArray();

        Cuts cuts = new Cuts(rechunk, n, chunkEnds);
        Segments segments = new Segments(chunkEnds.length + extraCuts.length); // as recorded: enough
        long sent = 0;
        int start = 0;
        int ruleCut = cuts.next();
        int extra = 0;
        while (true) {
            int i = Math.min(ruleCut, extra < extraCuts.length ? extraCuts[extra] : Integer.MAX_VALUE);
            if (i > stop) {
                break;
            }
            long ready = chunkTimes[chunkOf(chunkEnds, i - 1)];
            long stall = stalls.isEmpty() ? 0 : stalls.getOrDefault(start, 0L);
            segments.add(start, i - start, plus(Math.max(0, ready - sent), stall));
            sent = Math.max(sent, ready);
            start = i;
            while (ruleCut <= i) {
                ruleCut = cuts.next();
            }
            while (extra < extraCuts.length && extraCuts[extra] <= i) {
                extra++;
            }
        }
        long endDelay = stop < n
                ? stalls.getOrDefault(stop, 0L)
                : plus(Math.max(0, totalTime - sent), stalls.getOrDefault(n, 0L));

        return new ReplayPlan(r.status(), replayedHeaders(r), framing,
                plus(scale(r.headersDelayMs(), speed), extraHeadersDelay),
                chunks, chunkEnds, segments, endDelay, ending);
    }

    /**
     * The rechunking's cut points, one at a time: ascending, above 0 and below the body's end, then
     * {@link Integer#MAX_VALUE} for ever. A seeded rechunking draws its sizes in the same order as ever.
     */
    private static final class Cuts {
        private final Rechunk rechunk;
        private final int n;
        private final int[] chunkEnds;
        private final SplittableRandom random;
        private long at;
        private int chunk;

        Cuts(Rechunk rechunk, int n, int[] chunkEnds) {
            this.rechunk = rechunk;
            this.n = n;
            this.chunkEnds = chunkEnds;
            this.random = rechunk instanceof Rechunk.Seeded ? new SplittableRandom(((Rechunk.Seeded) rechunk).seed()) : null;
        }

        int next() {
            if (rechunk instanceof Rechunk.Fixed) {
                at += ((Rechunk.Fixed) rechunk).size();
            } else if (rechunk instanceof Rechunk.Seeded) {
                at += random.nextInt(1, ((Rechunk.Seeded) rechunk).maxSize() + 1);
            } else {
                while (chunk < chunkEnds.length && chunkEnds[chunk] <= at) {
                    chunk++; // empty chunks share an end with the one before
                }
                at = chunk < chunkEnds.length ? chunkEnds[chunk] : n;
            }
            return at < n ? (int) at : Integer.MAX_VALUE;
        }
    }

    /** The segments as they are planned: growable arrays, so no list of boxes per segment. */
    private static final class Segments {
        int count;
        int[] offsets;
        int[] lengths;
        long[] delays;

        Segments(int capacity) {
            offsets = new int[Math.max(1, capacity)];
            lengths = new int[offsets.length];
            delays = new long[offsets.length];
        }

        void add(int offset, int length, long delayNanos) {
            if (count == offsets.length) {
                int grown = offsets.length * 2;
                offsets = Arrays.copyOf(offsets, grown);
                lengths = Arrays.copyOf(lengths, grown);
                delays = Arrays.copyOf(delays, grown);
            }
            offsets[count] = offset;
            lengths[count] = length;
            delays[count] = delayNanos;
            count++;
        }
    }

    /** Index of the chunk holding body byte {@code offset}: the first whose end is past it. */
    private static int chunkOf(int[] chunkEnds, int offset) {
        int i = Arrays.binarySearch(chunkEnds, offset + 1);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && chunkEnds[i - 1] == offset + 1) {
            i--; // empty chunks share an end; the byte arrived with the first of them
        }
        return i;
    }

    private static List<Map.Entry<String, String>> replayedHeaders(RecordedResponse r) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        boolean contentType = false;
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (!NOT_REPLAYED.contains(name)) {
                headers.add(Map.entry(h.getKey(), h.getValue()));
                contentType |= name.equals("content-type");
            }
        }
        if (!contentType) {
            headers.add(Map.entry("Content-Type", RecordedResponse.DEFAULT_CONTENT_TYPE));
        }
        return List.copyOf(headers);
    }

    private static int clamp(long offset, int n) {
        return (int) Math.min(offset, n);
    }

    private static long scale(long recordedMs, double speed) {
        return speed == 0 ? 0 : (long) (recordedMs * 1_000_000d / speed);
    }

    private static long millisToNanos(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis); // saturates
    }

    /**
     * {@code a + b} for non-negative durations, {@link Long#MAX_VALUE} if that overflows: a replay slowed
     * down far enough waits "for ever", never wraps round to no wait at all.
     */
    static long plus(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    public int status() {
        return status;
    }

    /** Recorded headers to send (without framing, hop-by-hop and CORS headers), with a Content-Type. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    public boolean chunked() {
        return framing == Framing.CHUNKED;
    }

    /** How the body is delimited. */
    public Framing framing() {
        return framing;
    }

    public long headersDelayNanos() {
        return headersDelayNanos;
    }

    /**
     * The whole body, in one array made on the first call (a replay never needs it: it copies each
     * segment from the recorded chunks, {@link #bytesAt}). Not to be modified.
     */
    public byte[] body() {
        if (body == null) {
            ByteBuffer all = ByteBuffer.allocate(bodySize());
            for (Chunk chunk : chunks) {
                all.put(chunk.buffer());
            }
            body = all.array();
        }
        return body;
    }

    /** Length of the whole body, whether or not it is all sent. */
    public int bodySize() {
        return chunkEnds.length == 0 ? 0 : chunkEnds[chunkEnds.length - 1];
    }

    /** Bytes the plan sends: the body up to where a reset or truncation stops it. */
    public int bytesSent() {
        return bytesSent;
    }

    /**
     * A read-only view of the body's bytes from {@code offset} to the end of the recorded chunk that holds
     * them, or fewer, {@code max} at most: a segment's bytes are one or more of these in a row, never copied
     * here.
     */
    public ByteBuffer bytesAt(int offset, int max) {
        int c = chunkOf(chunkEnds, offset);
        Chunk chunk = chunks.get(c);
        int from = offset - (chunkEnds[c] - chunk.size());
        return chunk.buffer().position(from).limit(from + Math.min(max, chunk.size() - from));
    }

    public int segmentCount() {
        return offsets.length;
    }

    public int offset(int segment) {
        return offsets[segment];
    }

    public int length(int segment) {
        return lengths[segment];
    }

    /** Gap before the segment: after the previous segment, or after the headers for the first. */
    public long delayNanos(int segment) {
        return delaysNanos[segment];
    }

    /** Gap between the last segment and the ending. */
    public long endDelayNanos() {
        return endDelayNanos;
    }

    public Ending ending() {
        return ending;
    }
}
