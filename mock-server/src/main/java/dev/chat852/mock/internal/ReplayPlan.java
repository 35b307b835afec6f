package dev.chat852.mock.internal;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse.Framing;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.protocol.ChatApi;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
    private final byte[] body;
    private final int[] offsets;
    private final int[] lengths;
    private final long[] delaysNanos;
    private final long endDelayNanos;
    private final Ending ending;

    private ReplayPlan(int status, List<Map.Entry<String, String>> headers, Framing framing,
                       long headersDelayNanos, byte[] body, int[] offsets, int[] lengths, long[] delaysNanos,
                       long endDelayNanos, Ending ending) {
        this.status = status;
        this.headers = headers;
        this.framing = framing;
        this.headersDelayNanos = headersDelayNanos;
        this.body = body;
        this.offsets = offsets;
        this.lengths = lengths;
        this.delaysNanos = delaysNanos;
        this.endDelayNanos = endDelayNanos;
        this.ending = ending;
    }

    /**
     * Plans a replay of {@code response}, chunked (streams) or framed by Content-Length (JSON answers).
     *
     * @param speed 1 = recorded timing, 2 = twice as fast, 0 = no recorded delays at all
     * @param faults the response's own faults plus the server's
     */
    public static ReplayPlan of(RecordedResponse response, boolean chunked, double speed, Rechunk rechunk,
                                List<Fault> faults) {
        return of(response, chunked ? Framing.CHUNKED : Framing.CONTENT_LENGTH, speed, rechunk, faults);
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
        byte[] body = r.body();
        int n = body.length;
        List<Chunk> chunks = r.chunks();

        // Recorded arrival time of each chunk's bytes, scaled.
        int[] chunkEnds = new int[chunks.size()];
        long[] chunkTimes = new long[chunks.size()];
        long elapsedMs = 0;
        int at = 0;
        for (int i = 0; i < chunks.size(); i++) {
            elapsedMs += chunks.get(i).delayMs();
            at += chunks.get(i).size();
            chunkEnds[i] = at;
            chunkTimes[i] = scale(elapsedMs, speed);
        }
        long totalTime = scale(elapsedMs, speed);

        boolean[] cut = cuts(rechunk, n, chunkEnds);
        Map<Integer, Long> stalls = new HashMap<>();
        int stop = n;
        Ending ending = Ending.COMPLETE;
        for (Fault f : faults) {
            if (f instanceof Fault.Stall) {
                int off = clamp(((Fault.Stall) f).afterBytes(), n);
                stalls.merge(off, millisToNanos(((Fault.Stall) f).millis()), ReplayPlan::plus);
                cut[off] = true;
            } else if (f instanceof Fault.Reset || f instanceof Fault.Truncate) {
                long after = f instanceof Fault.Reset ? ((Fault.Reset) f).afterBytes() : ((Fault.Truncate) f).afterBytes();
                int off = clamp(after, n);
                if (ending == Ending.COMPLETE || off < stop) {
                    stop = off;
                    ending = f instanceof Fault.Reset ? Ending.RESET : Ending.TRUNCATE;
                }
            }
        }
        cut[stop] = true;

        List<int[]> segments = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        long sent = 0;
        int start = 0;
        for (int i = 1; i <= stop; i++) {
            if (!cut[i]) {
                continue;
            }
            long ready = chunkTimes[chunkOf(chunkEnds, i - 1)];
            delays.add(plus(Math.max(0, ready - sent), stalls.getOrDefault(start, 0L)));
            segments.add(new int[] {start, i - start});
            sent = Math.max(sent, ready);
            start = i;
        }
        long endDelay = stop < n
                ? stalls.getOrDefault(stop, 0L)
                : plus(Math.max(0, totalTime - sent), stalls.getOrDefault(n, 0L));

        int[] offsets = new int[segments.size()];
        int[] lengths = new int[segments.size()];
        long[] delaysNanos = new long[segments.size()];
        for (int i = 0; i < segments.size(); i++) {
            offsets[i] = segments.get(i)[0];
            lengths[i] = segments.get(i)[1];
            delaysNanos[i] = delays.get(i);
        }
        return new ReplayPlan(r.status(), replayedHeaders(r), framing,
                plus(scale(r.headersDelayMs(), speed), extraHeadersDelay),
                body, offsets, lengths, delaysNanos, endDelay, ending);
    }

    private static boolean[] cuts(Rechunk rechunk, int n, int[] chunkEnds) {
        boolean[] cut = new boolean[n + 1];
        if (rechunk instanceof Rechunk.Fixed) {
            int size = ((Rechunk.Fixed) rechunk).size();
            for (int i = size; i < n; i += size) {
                cut[i] = true;
            }
        } else if (rechunk instanceof Rechunk.Seeded) {
            Rechunk.Seeded seeded = (Rechunk.Seeded) rechunk;
            SplittableRandom random = new SplittableRandom(seeded.seed());
            for (int i = random.nextInt(1, seeded.maxSize() + 1); i < n; i += random.nextInt(1, seeded.maxSize() + 1)) {
                cut[i] = true;
            }
        } else {
            for (int end : chunkEnds) {
                cut[end] = true;
            }
        }
        cut[0] = false;
        cut[n] = true;
        return cut;
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

    /** The whole recorded body; segments are views of it. Not to be modified. */
    public byte[] body() {
        return body;
    }

    /** Bytes the plan sends: the body up to where a reset or truncation stops it. */
    public int bytesSent() {
        int sum = 0;
        for (int len : lengths) {
            sum += len;
        }
        return sum;
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
