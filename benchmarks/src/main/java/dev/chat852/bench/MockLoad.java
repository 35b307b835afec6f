package dev.chat852.bench;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Load test of the mock server: N concurrent replays of one paced recording (status line and header block
 * {@code --head-ms} after the request, then {@code --text-chunks} chunks {@code --gap-ms} apart), all
 * requests written at once over connections opened beforehand, read by one client thread with one NIO
 * selector and a minimal chunked parser: the lightest client that holds thousands of connections (no
 * thread, task or buffer per connection), timestamping bytes when {@code select()} returns.
 *
 * <p>Per run it checks every response byte for byte and chunk by chunk against the recording, and reports:
 * how many completed exactly; the wall time from the first request written to the last response ended,
 * against the recording's nominal duration; how late the status line came (after the request, beyond
 * {@code --head-ms}); and for every delayed chunk of every response its <em>lateness</em> (arrival minus the
 * status line's arrival minus the chunk's offset in the recording: measured from the status line, so
 * connect and request latency cancel out) and its <em>gap excess</em> (time since the previous chunk minus
 * the recorded gap: the jitter each chunk shows; the mock times every chunk from when the status line went
 * out, so these do not add up along a stream). Also the client's own share: how long after {@code select()} returned the client got
 * round to each read (its serial work within one wake-up), and CPU time of the server's threads and of the
 * client thread. The long status-line delay lets every request be written before any answer starts.
 *
 * <p>{@code --server raw} replays the same recording from {@link RawPacedServer} (a thread per connection
 * sleeping between writes) instead: the baseline for what pacing costs without the mock, for small N.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.MockLoad \
 *     --connections 100,1000,5000 --runs 5 --text-chunks 20 --gap-ms 50
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.MockLoad \
 *     --connections 1 --runs 5 --head-ms 100 --text-chunks 1000 --gap-ms 1 --server raw
 * </pre>
 *
 * A run passes when every response completed exactly, the gap excess p99 is at most {@code --max-p99-ms}
 * (default 5: a tenth of a 50 ms gap) and the largest lateness at most {@code --max-late-ms} (default 50:
 * one gap). Client and server share this process, two file descriptors per connection: 5,000 connections
 * need {@code ulimit -n} above 10,000.
 */
public final class MockLoad {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private MockLoad() {
    }

    static final class Options {
        int[] connections = {100, 1000, 5000};
        int runs = 5;
        int warmup = 1;
        long headMs = 500;
        int textChunks = 20;
        long gapMs = 50;
        double speed = 1;
        String server = "mock";
        double maxP99Ms = 5;
        double maxLateMs = 50;
        int warmupRuns = 8;
        int warmupConnections = 1000;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + args[i]);
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--connections":
                        o.connections = Arrays.stream(v.split(",")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
                        break;
                    case "--runs": o.runs = Integer.parseInt(v); break;
                    case "--warmup": o.warmup = Integer.parseInt(v); break;
                    case "--warmup-runs": o.warmupRuns = Integer.parseInt(v); break;
                    case "--warmup-connections": o.warmupConnections = Integer.parseInt(v); break;
                    case "--head-ms": o.headMs = Long.parseLong(v); break;
                    case "--text-chunks": o.textChunks = Integer.parseInt(v); break;
                    case "--gap-ms": o.gapMs = Long.parseLong(v); break;
                    case "--speed": o.speed = Double.parseDouble(v); break;
                    case "--server": o.server = v; break;
                    case "--max-p99-ms": o.maxP99Ms = Double.parseDouble(v); break;
                    case "--max-late-ms": o.maxLateMs = Double.parseDouble(v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
                }
            }
            if (!o.server.equals("mock") && !o.server.equals("raw")) {
                throw new IllegalArgumentException("--server must be mock or raw");
            }
            return o;
        }
    }

    /** What one run measured; times in nanoseconds. */
    static final class Result {
        int connections;
        int completed;
        String firstFailure;
        long sendSpread;
        long wall;
        long nominal;
        long[] head;       // per connection: head arrival - request written - recorded head delay
        long[] lateness;   // per delayed chunk of every completed response
        long[] gapExcess;
        long[] clientLag;  // per read: read time - select() return
        long serverCpu;
        long clientCpu;
        long reads;

        /** All exact, what each chunk adds within bounds, and the drift along the stream under one gap. */
        boolean passes(Options o) {
            return completed == connections && pct(gapExcess, 0.99) <= o.maxP99Ms * 1e6
                    && max(lateness) <= o.maxLateMs * 1e6;
        }
    }

    public static void main(String[] args) throws IOException {
        Logger.getLogger("").setLevel(Level.WARNING);
        Logger.getLogger("dev.chat852.mock").setLevel(Level.WARNING);
        Options o = Options.parse(args);
        long bodyBytes = BenchRecordings.headerBlockBytes() + 96L * o.textChunks + ChatBodyGenerator.TRAILER.length();
        Recording recording = BenchRecordings.paced(ChatBodyGenerator.generate(BenchRecordings.SEED, (int) bodyBytes),
                o.headMs, o.textChunks, o.gapMs);
        Expected nominal = new Expected(recording, o.speed);
        System.out.printf(Locale.ROOT, "# MockLoad server=%s speed=%s: head after %d ms, %d chunks (header block with the"
                        + " head, then %d every %d ms), %d body bytes, nominal %.1f ms; JDK %s; %d cores; pass: all"
                        + " exact, gap excess p99 <= %s ms, lateness max <= %s ms%n",
                o.server, o.speed, o.headMs, o.textChunks + 1, o.textChunks, o.gapMs, bodyBytes,
                nominal.nominalNanos / 1e6, System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), o.maxP99Ms, o.maxLateMs);
        for (int i = 0; i < o.warmupRuns; i++) {
            Result r = run(o, o.warmupConnections, recording);
            System.out.println("# warm-up " + (i + 1) + " of " + o.warmupRuns + ": " + r.completed + "/" + r.connections
                    + " exact" + (r.firstFailure == null ? "" : ", first failure: " + r.firstFailure));
        }
        System.out.println("| N | run | exact | send spread ms | wall - nominal ms | head late p50/p99 ms"
                + " | lateness p50 / p99 / max us | gap excess p50 / p99 / max us | client lag p99 / max us"
                + " | server CPU ms | client CPU ms | pass |");
        for (int n : o.connections) {
            List<Result> results = new ArrayList<>();
            for (int run = -o.warmup; run < o.runs; run++) {
                Result r = run(o, n, recording);
                if (run >= 0) {
                    results.add(r);
                    System.out.println(row(n, Integer.toString(run + 1), r, o));
                }
            }
            System.out.println(summary(n, results, o));
        }
    }

    static String row(int n, String run, Result r, Options o) {
        return String.format(Locale.ROOT, "| %d | %s | %d/%d | %.1f | %.1f | %.2f / %.2f | %s / %s / %s | %s / %s / %s"
                        + " | %s / %s | %s | %s | %s |%s",
                n, run, r.completed, r.connections, r.sendSpread / 1e6, (r.wall - r.nominal) / 1e6,
                pct(r.head, 0.5) / 1e6, pct(r.head, 0.99) / 1e6,
                us(pct(r.lateness, 0.5)), us(pct(r.lateness, 0.99)), us(max(r.lateness)),
                us(pct(r.gapExcess, 0.5)), us(pct(r.gapExcess, 0.99)), us(max(r.gapExcess)),
                us(pct(r.clientLag, 0.99)), us(max(r.clientLag)),
                r.serverCpu < 0 ? "n/a" : fmt(r.serverCpu / 1e6), fmt(r.clientCpu / 1e6), r.passes(o) ? "yes" : "no",
                r.firstFailure == null ? "" : " first failure: " + r.firstFailure);
    }

    /** Medians over the runs, with the range in brackets. */
    static String summary(int n, List<Result> rs, Options o) {
        return String.format(Locale.ROOT, "| **%d** | median [min-max] of %d | %s | | %s | | %s / %s / %s | %s / %s / %s"
                        + " | %s | %s | %s | %d of %d pass |",
                n, rs.size(),
                range(rs, r -> r.completed, 1), range(rs, r -> r.wall - r.nominal, 1e6),
                range(rs, r -> pct(r.lateness, 0.5), 1e3), range(rs, r -> pct(r.lateness, 0.99), 1e3),
                range(rs, r -> max(r.lateness), 1e3),
                range(rs, r -> pct(r.gapExcess, 0.5), 1e3), range(rs, r -> pct(r.gapExcess, 0.99), 1e3),
                range(rs, r -> max(r.gapExcess), 1e3),
                range(rs, r -> pct(r.clientLag, 0.99), 1e3),
                rs.get(0).serverCpu < 0 ? "n/a" : range(rs, r -> r.serverCpu, 1e6),
                range(rs, r -> r.clientCpu, 1e6), rs.stream().filter(r -> r.passes(o)).count(), rs.size());
    }

    private static String range(List<Result> rs, ToLongFunction<Result> f, double unit) {
        long[] v = rs.stream().mapToLong(f).sorted().toArray();
        long median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return String.format(Locale.ROOT, "%s [%s-%s]", fmt(median / unit), fmt(v[0] / unit), fmt(v[v.length - 1] / unit));
    }

    private static String fmt(double x) {
        return Math.abs(x) >= 100 ? String.format(Locale.ROOT, "%,.0f", x) : String.format(Locale.ROOT, "%.1f", x);
    }

    private static String us(long nanos) {
        return nanos == Long.MIN_VALUE ? "-" : fmt(nanos / 1e3);
    }

    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Long.MIN_VALUE;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1; // nearest rank
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    static long max(long[] sorted) {
        return sorted.length == 0 ? Long.MIN_VALUE : sorted[sorted.length - 1];
    }

    /** One run: a fresh server (and port), N connections, all requests at once, until all end or time out. */
    static Result run(Options o, int n, Recording recording) throws IOException {
        MockServer mock = null;
        RawPacedServer raw = null;
        int port;
        String serverThreads;
        if (o.server.equals("mock")) {
            mock = MockServer.builder().speed(o.speed).requestLogLimit(0).recording(recording).build().start();
            port = mock.port();
            serverThreads = "chat852-mock";
        } else {
            raw = RawPacedServer.start(recording, o.speed);
            port = raw.port();
            serverThreads = RawPacedServer.THREAD_PREFIX;
        }
        try {
            Expected expected = new Expected(recording, o.speed);
            byte[] request = BenchRecordings.httpRequest("127.0.0.1:" + port, "load");
            try (LoadClient client = new LoadClient(n, new InetSocketAddress("127.0.0.1", port), expected)) {
                client.connectAll();
                long serverCpu0 = cpuOfThreads(serverThreads);
                long clientCpu0 = THREADS.getCurrentThreadCpuTime();
                client.sendAll(request);
                client.loop(System.nanoTime() + expected.nominalNanos + 60_000_000_000L);
                Result r = client.result();
                // the raw server's threads end with their connections, taking their CPU time with them
                r.serverCpu = raw != null ? -1 : cpuOfThreads(serverThreads) - serverCpu0;
                r.clientCpu = THREADS.getCurrentThreadCpuTime() - clientCpu0;
                return r;
            }
        } finally {
            if (mock != null) {
                mock.close();
            }
            if (raw != null) {
                raw.close();
            }
        }
    }

    /** CPU time of the live threads whose names start with {@code prefix}. */
    private static long cpuOfThreads(String prefix) {
        long sum = 0;
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && infos[i].getThreadName().startsWith(prefix)) {
                long t = THREADS.getThreadCpuTime(ids[i]);
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

}
