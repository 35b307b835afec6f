package dev.chat852.bench;

import dev.chat852.mock.Recording;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Load test of the mock server beside its peers: N concurrent replays of one paced recording ({@link
 * LoadServer#recording}: the status line {@code --head-ms} after the request, then {@code --text-chunks} + 1
 * equal chunks, the first with the status line, the others {@code --gap-ms} apart), all requests written at
 * once over connections opened beforehand, read by one client thread with one NIO selector and a minimal
 * chunked parser: the lightest client that holds thousands of connections (no thread, task or buffer per
 * connection), timestamping bytes when {@code select()} returns.
 *
 * <p>{@code --server} lists the servers to load, one after the other, each in a JVM of its own ({@link
 * LoadServer}, started once per server and invocation): {@code mock} (the project's), {@code wiremock}
 * (WireMock's chunked dribble), {@code mockwebserver} (OkHttp's, throttled) and {@code raw} ({@link
 * RawPacedServer}, a thread per connection sleeping between writes: what pacing costs with no server
 * framework, for small N). All replay the same bytes in the same chunks with the same gaps, and the client
 * checks them all the same way.
 *
 * <p>Per run it checks every response byte for byte and chunk by chunk against the recording, and reports:
 * how many completed exactly; the wall time from the first request written to the last response ended,
 * against the recording's nominal duration; how late the status line came (after the request, beyond
 * {@code --head-ms}); and for every delayed chunk of every response its <em>lateness</em> (arrival minus the
 * status line's arrival minus the chunk's offset in the recording: measured from the status line, so
 * connect and request latency cancel out) and its <em>gap excess</em> (time since the previous chunk minus
 * the recorded gap: the jitter each chunk shows). The mock times every chunk from when the status line went
 * out, so its gap excesses do not add up along a stream; WireMock and MockWebServer sleep a gap after each
 * write, so theirs do. Also the client's own share (how long after {@code select()} returned the client got
 * round to each read), and CPU time of the server's whole process and of the client thread.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.MockLoad --server mock,wiremock,mockwebserver \
 *     --connections 100,250,500,1000 --runs 5 --json /tmp/mockload.json
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.MockLoad --server mock,raw \
 *     --connections 1 --runs 5 --head-ms 100 --text-chunks 1000 --gap-ms 1
 * </pre>
 *
 * A run passes when every response completed exactly, the gap excess p99 is at most {@code --max-p99-ms}
 * (default 5: a tenth of a 50 ms gap) and the largest lateness at most {@code --max-late-ms} (default 50:
 * one gap). Client and server each hold one file descriptor per connection: 5,000 connections need
 * {@code ulimit -n} above 5,000 in both.
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
        List<String> servers = List.of("mock");
        double maxP99Ms = 5;
        double maxLateMs = 50;
        int warmupRuns = 8;
        int warmupConnections = 1000;
        Path json;

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
                    case "--server": o.servers = List.of(v.split(",")); break;
                    case "--max-p99-ms": o.maxP99Ms = Double.parseDouble(v); break;
                    case "--max-late-ms": o.maxLateMs = Double.parseDouble(v); break;
                    case "--json": o.json = Path.of(v); break;
                    default:
                        throw new IllegalArgumentException("unknown option " + args[i] + "; see the class comment");
                }
            }
            for (String server : o.servers) {
                if (!LoadServer.SERVERS.contains(server)) {
                    throw new IllegalArgumentException("--server takes a list of " + LoadServer.SERVERS + ", not " + server);
                }
            }
            return o;
        }

        /** Threads for a server that needs one per connection (WireMock's Jetty): every run's N, and some. */
        int threads() {
            return Math.max(Arrays.stream(connections).max().orElse(0), warmupConnections) + 64;
        }
    }

    /** What one run measured; times in nanoseconds. */
    static final class Result {
        String server;
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
        Options o = Options.parse(args);
        Recording recording = LoadServer.recording(o.headMs, o.textChunks, o.gapMs);
        Expected nominal = new Expected(recording, o.speed);
        System.out.printf(Locale.ROOT, "# MockLoad servers=%s speed=%s: head after %d ms, %d chunks of %d bytes (the first"
                        + " with the head, then one every %d ms), %d body bytes, nominal %.1f ms; JDK %s; %d cores; pass:"
                        + " all exact, gap excess p99 <= %s ms, lateness max <= %s ms%n",
                String.join(",", o.servers), o.speed, o.headMs, nominal.sizes.length, nominal.sizes[0], o.gapMs,
                nominal.body.length, nominal.nominalNanos / 1e6, System.getProperty("java.vm.version"),
                Runtime.getRuntime().availableProcessors(), o.maxP99Ms, o.maxLateMs);
        System.out.println("| server | N | run | exact | send spread ms | wall - nominal ms | head late p50/p99 ms"
                + " | lateness p50 / p99 / max us | gap excess p50 / p99 / max us | client lag p99 / max us"
                + " | server CPU ms | client CPU ms | pass |");
        List<Result> all = new ArrayList<>();
        for (String server : o.servers) {
            try (ServerProcess process = ServerProcess.start(LoadServer.class, server, Long.toString(o.headMs),
                    Integer.toString(o.textChunks), Long.toString(o.gapMs), Double.toString(o.speed),
                    Integer.toString(o.threads()))) {
                for (int i = 0; i < o.warmupRuns; i++) {
                    Result r = run(o, server, process, o.warmupConnections, recording);
                    System.out.println("# " + server + " warm-up " + (i + 1) + " of " + o.warmupRuns + ": " + r.completed
                            + "/" + r.connections + " exact" + (r.firstFailure == null ? "" : ", first failure: " + r.firstFailure));
                }
                for (int n : o.connections) {
                    List<Result> results = new ArrayList<>();
                    for (int run = -o.warmup; run < o.runs; run++) {
                        Result r = run(o, server, process, n, recording);
                        if (run >= 0) {
                            results.add(r);
                            System.out.println(row(n, Integer.toString(run + 1), r, o));
                        }
                    }
                    System.out.println(summary(n, results, o));
                    all.addAll(results);
                }
            }
        }
        if (o.json != null) {
            LoadJson.write(o, nominal, all);
            System.out.println("# written: " + o.json);
        }
    }

    static String row(int n, String run, Result r, Options o) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d/%d | %.1f | %.1f | %.2f / %.2f | %s / %s / %s | %s / %s / %s"
                        + " | %s / %s | %s | %s | %s |%s",
                r.server, n, run, r.completed, r.connections, r.sendSpread / 1e6, (r.wall - r.nominal) / 1e6,
                pct(r.head, 0.5) / 1e6, pct(r.head, 0.99) / 1e6,
                us(pct(r.lateness, 0.5)), us(pct(r.lateness, 0.99)), us(max(r.lateness)),
                us(pct(r.gapExcess, 0.5)), us(pct(r.gapExcess, 0.99)), us(max(r.gapExcess)),
                us(pct(r.clientLag, 0.99)), us(max(r.clientLag)),
                r.serverCpu < 0 ? "n/a" : fmt(r.serverCpu / 1e6), fmt(r.clientCpu / 1e6), r.passes(o) ? "yes" : "no",
                r.firstFailure == null ? "" : " first failure: " + r.firstFailure);
    }

    /** Medians over the runs, with the range in brackets. */
    static String summary(int n, List<Result> rs, Options o) {
        return String.format(Locale.ROOT, "| %s | **%d** | median [min-max] of %d | %s | | %s | | %s / %s / %s | %s / %s / %s"
                        + " | %s | %s | %s | %d of %d pass |",
                rs.get(0).server, n, rs.size(),
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
        return String.format(Locale.ROOT, "%s [%s-%s]", fmt(median(v) / unit), fmt(v[0] / unit), fmt(v[v.length - 1] / unit));
    }

    /** The median of sorted values (the mean of the middle two for an even count). */
    static long median(long[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
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

    /** One run against the server process: N fresh connections, all requests at once, until all end or time out. */
    static Result run(Options o, String server, ServerProcess process, int n, Recording recording) throws IOException {
        Expected expected = new Expected(recording, o.speed);
        byte[] request = BenchRecordings.httpRequest("127.0.0.1:" + process.port(), "load");
        try (LoadClient client = new LoadClient(n, new InetSocketAddress("127.0.0.1", process.port()), expected)) {
            client.connectAll();
            long serverCpu0 = cpuNanos(process);
            long clientCpu0 = THREADS.getCurrentThreadCpuTime();
            client.sendAll(request);
            client.loop(System.nanoTime() + expected.nominalNanos + 60_000_000_000L);
            Result r = client.result();
            r.server = server;
            long serverCpu1 = cpuNanos(process);
            r.serverCpu = serverCpu0 < 0 || serverCpu1 < 0 ? -1 : serverCpu1 - serverCpu0;
            r.clientCpu = THREADS.getCurrentThreadCpuTime() - clientCpu0;
            return r;
        }
    }

    /** CPU time of the server's whole process (all its threads, JIT and GC too), or -1 where unknown. */
    private static long cpuNanos(ServerProcess process) {
        return ProcessHandle.of(process.pid()).flatMap(h -> h.info().totalCpuDuration()).map(Duration::toNanos).orElse(-1L);
    }
}
