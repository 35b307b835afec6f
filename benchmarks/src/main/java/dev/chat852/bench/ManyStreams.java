package dev.chat852.bench;

import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatListener;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import dev.chat852.wire.Header;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@link ChatClient} holding many streams at once: N calls started together against the mock in a
 * process of its own ({@link PacedServer}), replaying a paced answer (the status line and header block
 * {@code --head-ms} after the request, then {@code --text-chunks} chunks {@code --gap-ms} apart, 2 s
 * and 60 × 200 ms by default), so that all N are open at the same time for up to 12 s less the time it
 * takes to start them all and get every header block.
 *
 * <p>Per run it reports the process's footprint before the calls, when every stream has its header block
 * (all open: the program checks that none has ended yet and says how many were open), and after all
 * ended: Java threads (and per kind, at the moment all are open), OS threads, heap used and committed,
 * resident memory and its peak (from {@code /proc/self/status}); the heap still live after a full GC
 * with all open; and how many answers were exact (finished, the recording's header block and text).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.ManyStreams --transport netty --streams 1000 --runs 3
 * java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.ManyStreams --transport jdk --streams 1000 --runs 3
 * </pre>
 *
 * The Netty transport keeps at most 64 connections per host by default; this program allows
 * {@code --max-connections} (default: as many as streams), since a stream beyond the limit would wait
 * for a connection instead of being open. Exits 1 unless every answer of every run was exact and all
 * streams were open at once.
 */
public final class ManyStreams {
    private static final long BYTES_PER_CHUNK = 96;

    private ManyStreams() {
    }

    static final class Options {
        String transport = "netty";
        int streams = 1000;
        int runs = 3;
        long headMs = 2000;
        int textChunks = 60;
        long gapMs = 200;
        int maxConnections = -1;

        static Options parse(String[] args) {
            Options o = new Options();
            OptionPairs.read(args, (name, v) -> {
                switch (name) {
                    case "--transport": o.transport = v; return true;
                    case "--streams": o.streams = Integer.parseInt(v); return true;
                    case "--runs": o.runs = Integer.parseInt(v); return true;
                    case "--head-ms": o.headMs = Long.parseLong(v); return true;
                    case "--text-chunks": o.textChunks = Integer.parseInt(v); return true;
                    case "--gap-ms": o.gapMs = Long.parseLong(v); return true;
                    case "--max-connections": o.maxConnections = Integer.parseInt(v); return true;
                    default: return false;
                }
            });
            if (!o.transport.equals("netty") && !o.transport.equals("jdk")) {
                throw new IllegalArgumentException("--transport must be netty or jdk, was " + o.transport);
            }
            if (o.streams < 1 || o.runs < 1 || o.textChunks < 1 || o.gapMs < 1) {
                throw new IllegalArgumentException("--streams, --runs, --text-chunks and --gap-ms must be at least 1");
            }
            if (o.maxConnections < 0) {
                o.maxConnections = o.streams;
            }
            return o;
        }

        int bodyBytes() {
            return (int) (BenchRecordings.headerBlockBytes() + BYTES_PER_CHUNK * textChunks
                    + ChatBodyGenerator.TRAILER.length());
        }
    }

    /** One run: the footprints, how many were open together, how many answers were exact. */
    record Result(int streams, int openAtOnce, int exact, String firstFailure, long issueNanos, long headersNanos,
                  long[] toHeader, Footprint before,
                  Footprint allOpen, long liveHeapAllOpen, Footprint after) {
        boolean passes() {
            return exact == streams && openAtOnce == streams;
        }
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        boolean pass = true;
        try (ServerProcess server = ServerProcess.start(PacedServer.class, Long.toString(o.headMs),
                Integer.toString(o.textChunks), Long.toString(o.gapMs), Integer.toString(o.bodyBytes()))) {
            Transport transport = o.transport.equals("netty")
                    ? NettyTransport.builder().maxConnectionsPerHost(o.maxConnections).build()
                    : JdkTransport.create();
            try (transport; ChatClient client = ChatClient.builder().baseUrl(server.baseUri().toString())
                    .token("bench").model(BenchRecordings.MODEL).transport(transport).build()) {
                System.out.printf(Locale.ROOT, "# ManyStreams transport=%s streams=%d: head after %d ms, then %d chunks"
                                + " every %d ms (%d body bytes); server in its own process; JDK %s; %d cores; max heap"
                                + " %s MiB%n", o.transport, o.streams, o.headMs, o.textChunks, o.gapMs, o.bodyBytes(),
                        System.getProperty("java.vm.version"), Runtime.getRuntime().availableProcessors(),
                        Footprint.mib(Runtime.getRuntime().maxMemory()));
                System.out.println("| transport | run | moment | Java threads | OS threads | heap used / committed MiB"
                        + " | RSS / peak MiB |");
                List<Result> results = new ArrayList<>();
                for (int run = 1; run <= o.runs; run++) {
                    Result r = run(client, o);
                    results.add(r);
                    System.out.println(row(o.transport, run, "before", r.before()));
                    System.out.println(row(o.transport, run, r.openAtOnce() + " open", r.allOpen()));
                    System.out.println(row(o.transport, run, "after", r.after()));
                    pass &= r.passes();
                }
                for (int run = 1; run <= results.size(); run++) {
                    Result r = results.get(run - 1);
                    System.out.printf(Locale.ROOT, "# run %d: %d of %d streams open at once, %d of %d answers exact%s;"
                                    + " started in %.0f ms, every header block in %.0f ms (per stream, from its call: p50 %.0f,"
                                    + " p99 %.0f, max %.0f ms); live heap after a full GC with all open: %s MiB; Java"
                                    + " threads with all open: %s%n", run, r.openAtOnce(),
                            r.streams(), r.exact(), r.streams(),
                            r.firstFailure() == null ? "" : " (first failure: " + r.firstFailure() + ")",
                            r.issueNanos() / 1e6, r.headersNanos() / 1e6, MockLoad.pct(r.toHeader(), 0.5) / 1e6,
                            MockLoad.pct(r.toHeader(), 0.99) / 1e6, MockLoad.max(r.toHeader()) / 1e6,
                            Footprint.mib(r.liveHeapAllOpen()),
                            r.allOpen().threadKinds());
                }
            }
        }
        System.out.println(pass ? "# pass" : "# FAIL: not every answer exact, or not all open at once");
        if (!pass) {
            System.exit(1);
        }
    }

    static String row(String transport, int run, String moment, Footprint f) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d | %s | %s / %s | %s / %s |", transport, run, moment,
                f.javaThreadCount(), f.proc().threads() < 0 ? "n/a" : Long.toString(f.proc().threads()),
                Footprint.mib(f.heapUsed()), Footprint.mib(f.heapCommitted()),
                Footprint.mib(f.proc().rssBytes()), Footprint.mib(f.proc().peakRssBytes()));
    }

    /** Starts N streams at once, takes the footprint when all have their header block, checks every answer. */
    static Result run(ChatClient client, Options o) throws InterruptedException {
        ChatBodyGenerator.Body body = ChatBodyGenerator.generate(BenchRecordings.SEED, o.bodyBytes());
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(o.headMs + o.gapMs * o.textChunks) + TimeUnit.SECONDS.toNanos(60);
        Footprint before = Footprint.now();
        CountDownLatch headers = new CountDownLatch(o.streams);
        List<ChatStream> streams = new ArrayList<>(o.streams);
        List<AtomicBoolean> headerSeen = new ArrayList<>(o.streams);
        long[] calledAt = new long[o.streams];
        long[] headerAt = new long[o.streams]; // written before the latch's count down, read after its await
        long start = System.nanoTime();
        for (int i = 0; i < o.streams; i++) {
            AtomicBoolean seen = new AtomicBoolean();
            int index = i;
            calledAt[i] = System.nanoTime();
            ChatStream stream = client.stream(ChatRequest.of("load " + i));
            stream.listen(new ChatListener() {
                @Override
                public void onHeader(Header header) {
                    if (seen.compareAndSet(false, true)) {
                        headerAt[index] = System.nanoTime();
                        headers.countDown();
                    }
                }

                @Override
                public void onText(String text) {
                    // the text is checked on the completion
                }
            });
            // A stream that ends without a header block (a failure, say) is counted too, but not as open.
            stream.completion().whenComplete((done, failure) -> {
                if (seen.compareAndSet(false, true)) {
                    headers.countDown();
                }
            });
            streams.add(stream);
            headerSeen.add(seen);
        }
        long issued = System.nanoTime() - start;
        headers.await(timeoutNanos, TimeUnit.NANOSECONDS);
        long headersAt = System.nanoTime() - start;
        long[] toHeader = new long[o.streams];
        int withHeader = 0;
        for (int i = 0; i < o.streams; i++) {
            if (headerAt[i] != 0) {
                toHeader[withHeader++] = headerAt[i] - calledAt[i];
            }
        }
        toHeader = Arrays.copyOf(toHeader, withHeader);
        Arrays.sort(toHeader);
        // Open: the header block arrived (or the answer ended, then it is done) and the answer has not ended.
        int open = 0;
        for (int i = 0; i < o.streams; i++) {
            if (headerSeen.get(i).get() && !streams.get(i).completion().isDone()) {
                open++;
            }
        }
        Footprint allOpen = Footprint.now();
        System.gc();
        long live = Footprint.now().heapUsed();

        int exact = 0;
        String firstFailure = null;
        long deadline = start + timeoutNanos;
        for (ChatStream stream : streams) {
            Optional<String> failure = outcome(stream.completion(), body, deadline);
            if (failure.isEmpty()) {
                exact++;
            } else if (firstFailure == null) {
                firstFailure = failure.get();
            }
            stream.close();
        }
        return new Result(o.streams, open, exact, firstFailure, issued, headersAt, toHeader, before, allOpen, live, Footprint.now());
    }

    private static Optional<String> outcome(CompletableFuture<ChatCompletion> completion, ChatBodyGenerator.Body body,
                                            long deadline) throws InterruptedException {
        try {
            return ExactAnswer.mismatch(body, completion.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            return Optional.of("failed: " + e.getCause());
        } catch (TimeoutException e) {
            return Optional.of("not ended before the deadline");
        }
    }
}
