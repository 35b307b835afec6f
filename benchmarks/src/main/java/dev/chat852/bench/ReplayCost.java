package dev.chat852.bench;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32;

/**
 * What one replay costs the mock server, counted rather than timed: the bytes its threads allocate and the
 * CPU time they use per replay, against the answer's size and its number of chunks. A {@code main}, run from
 * the shaded jar; the server runs in this process, and one blocking keep-alive client ({@link RawHttpClient},
 * no copies) reads every answer and checks it (length, CRC-32) against the recording.
 *
 * <p>Two recordings, both without delays, so that the server writes as fast as the socket takes the bytes:
 * {@code long}, the 16 MiB answer in 16 KiB chunks ({@link BenchRecordings#longRecording}); {@code small},
 * 20,000 chunks of about 100 bytes (the size of {@link MockLoad}'s), where the cost per chunk dominates.
 * Allocation is read from the server threads' counters ({@code ThreadMXBean.getThreadAllocatedBytes}), CPU
 * from their CPU time, both before and after each replay: neither needs an idle machine to be meaningful,
 * though CPU time still moves a little with cache and frequency effects.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.ReplayCost --runs 20 --warmup-runs 20
 * </pre>
 */
public final class ReplayCost {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final String SERVER_THREADS = "chat852-mock";
    private static final int SMALL_CHUNKS = 20_000;
    private static final int SMALL_CHUNK_BYTES = 100;
    private static final String SMALL_PROMPT = "small";

    private ReplayCost() {
    }

    /** One replay, as the server's threads counted it. */
    private record Cost(long allocatedBytes, long cpuNanos, long wallNanos) {
    }

    public static void main(String[] args) throws IOException {
        Logger.getLogger("").setLevel(Level.WARNING);
        int replays = 20;
        int warmup = 20;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs": replays = Integer.parseInt(args[i + 1]); break;
                case "--warmup-runs": warmup = Integer.parseInt(args[i + 1]); break;
                default: throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("missing value for " + args[args.length - 1]);
        }
        Recording big = BenchRecordings.longRecording(BenchRecordings.longBody());
        Recording small = smallChunks();
        System.out.printf(Locale.ROOT, "# ReplayCost: JDK %s, %d cores; %d warm-up and %d measured replays each;"
                        + " medians [min-max] over the measured replays%n",
                System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(), warmup, replays);
        System.out.println("| answer | body bytes | chunks | server bytes allocated per replay | per body byte"
                + " | server CPU per replay ms | per chunk us | wall per replay ms |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Recording r : List.of(big, small)) {
            try (MockServer mock = MockServer.builder().speed(1).requestLogLimit(0).recording(r).build().start();
                 RawHttpClient client = new RawHttpClient("127.0.0.1", mock.port())) {
                byte[] request = BenchRecordings.httpRequest("127.0.0.1:" + mock.port(), r.name());
                byte[] body = r.response().body();
                CRC32 expected = new CRC32();
                expected.update(body);
                List<Cost> costs = new ArrayList<>();
                for (int i = -warmup; i < replays; i++) {
                    Cost c = replay(client, request, body.length, expected.getValue());
                    if (i >= 0) {
                        costs.add(c);
                    }
                }
                int chunks = r.response().chunks().size();
                System.out.printf(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %s | %s |%n", r.name(), body.length, chunks,
                        range(costs, c -> c.allocatedBytes(), "%,.0f"),
                        range(costs, c -> (double) c.allocatedBytes() / body.length, "%.3f"),
                        range(costs, c -> c.cpuNanos() / 1e6, "%.1f"),
                        range(costs, c -> c.cpuNanos() / 1e3 / chunks, "%.2f"),
                        range(costs, c -> c.wallNanos() / 1e6, "%.1f"));
            }
        }
    }

    /** {@value #SMALL_CHUNKS} chunks of {@value #SMALL_CHUNK_BYTES} bytes, the header block in the first. */
    private static Recording smallChunks() {
        byte[] b = ChatBodyGenerator.generate(BenchRecordings.SEED, SMALL_CHUNKS * SMALL_CHUNK_BYTES).bytes();
        RecordedResponse.Builder r = RecordedResponse.builder();
        for (int at = 0; at < b.length; at += SMALL_CHUNK_BYTES) {
            r.chunk(Chunk.of(0, Arrays.copyOfRange(b, at, Math.min(b.length, at + SMALL_CHUNK_BYTES))));
        }
        return Recording.builder().name(SMALL_PROMPT).response(r.build())
                .request(RecordedRequest.builder().model(BenchRecordings.MODEL).message("user", SMALL_PROMPT).build()).build();
    }

    private static Cost replay(RawHttpClient client, byte[] request, int bodyBytes, long crc) throws IOException {
        long[] ids = serverThreads();
        long allocated0 = sum(THREADS.getThreadAllocatedBytes(ids));
        long cpu0 = cpu(ids);
        long start = System.nanoTime();
        client.send(request);
        if (client.readHead() != 200) {
            throw new IOException("expected HTTP 200");
        }
        CRC32 got = new CRC32();
        long n = 0;
        while (client.nextSlice()) {
            got.update(client.buf(), client.sliceOffset(), client.sliceLength());
            n += client.sliceLength();
        }
        long wall = System.nanoTime() - start;
        sleep(); // the server finishes the replay (listeners, the next read) after the client saw its end
        Cost cost = new Cost(sum(THREADS.getThreadAllocatedBytes(ids)) - allocated0, cpu(ids) - cpu0, wall);
        if (n != bodyBytes || got.getValue() != crc) {
            throw new IOException("the answer differs from the recording: " + n + " of " + bodyBytes + " bytes");
        }
        return cost;
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static long[] serverThreads() {
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        return Arrays.stream(infos).filter(t -> t != null && t.getThreadName().startsWith(SERVER_THREADS))
                .mapToLong(ThreadInfo::getThreadId).toArray();
    }

    private static long cpu(long[] ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, THREADS.getThreadCpuTime(id));
        }
        return sum;
    }

    private static long sum(long[] values) {
        long sum = 0;
        for (long v : values) {
            sum += Math.max(0, v);
        }
        return sum;
    }

    private static String range(List<Cost> costs, ToDoubleFunction<Cost> f, String format) {
        double[] v = costs.stream().mapToDouble(f).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, format + " [" + format + "-" + format + "]", median, v[0], v[v.length - 1]);
    }
}
