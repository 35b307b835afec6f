package dev.chat852.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JSON of a {@link TransportBenchmark} run ({@code -rf json -rff FILE}) into the Markdown tables
 * of {@code docs/benchmarks.md}. Latency percentiles are over all samples of all forks (JMH's own), with
 * the range of each fork's own p50 and p99 (from JMH's raw histograms) as the spread.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.TransportReport /tmp/transport.json</pre>
 */
public final class TransportReport {
    private static final List<String> TRANSPORTS = List.of("jdk", "netty", "handwritten", "raw");
    private static final double MIB = 1 << 20;

    private record Run(JsonNode primary, double allocNorm, List<double[]> forkP50P99) {
        double pct(String p) {
            return primary.path("scorePercentiles").path(p).asDouble();
        }
    }

    private TransportReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: TransportReport <jmh-result.json>");
            System.exit(2);
        }
        Map<String, Map<String, Run>> runs = new TreeMap<>(); // method -> transport -> run
        for (JsonNode run : new ObjectMapper().readTree(new File(args[0]))) {
            String name = run.path("benchmark").asText();
            if (!name.startsWith(TransportBenchmark.class.getName() + ".")) {
                continue;
            }
            JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            runs.computeIfAbsent(name.substring(name.lastIndexOf('.') + 1), k -> new TreeMap<>())
                    .put(run.path("params").path("transport").asText(), new Run(run.path("primaryMetric"),
                            alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble(),
                            forkPercentiles(run.path("primaryMetric").path("rawDataHistogram"))));
        }
        for (String method : List.of("firstText", "shortCall")) {
            Map<String, Run> byTransport = runs.get(method);
            if (byTransport == null) {
                continue;
            }
            System.out.println("`" + method + "` (µs per call):");
            System.out.println();
            System.out.println("| transport | samples | p50 | p90 | p99 | p99.9 | mean ± 99.9% CI | p50 per fork | p99 per fork | allocated per call |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            for (String t : TRANSPORTS) {
                Run r = byTransport.get(t);
                if (r == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "| %s | %,d | %,.0f | %,.0f | %,.0f | %,.0f | %,.0f ± %,.0f | %s | %s | %s |%n", t,
                        sampleCount(r.primary.path("rawDataHistogram")), r.pct("50.0"), r.pct("90.0"), r.pct("99.0"),
                        r.pct("99.9"), r.primary.path("score").asDouble(), r.primary.path("scoreError").asDouble(),
                        forks(r.forkP50P99, 0), forks(r.forkP50P99, 1),
                        Double.isNaN(r.allocNorm) ? "–" : String.format(Locale.ROOT, "%,.0f B", r.allocNorm));
            }
            System.out.println();
            for (String[] pair : new String[][] {{"netty", "jdk"}, {"jdk", "handwritten"}, {"netty", "handwritten"}}) {
                Run a = byTransport.get(pair[0]);
                Run b = byTransport.get(pair[1]);
                if (a != null && b != null) {
                    System.out.printf(Locale.ROOT, "%s / %s: p50 %.2f× (forks %s), p99 %.2f× (forks %s), mean %.2f× (%.2f–%.2f)%n",
                            pair[0], pair[1], a.pct("50.0") / b.pct("50.0"), forkRatios(a, b, 0),
                            a.pct("99.0") / b.pct("99.0"), forkRatios(a, b, 1), ratio(a, b), low(a) / high(b), high(a) / low(b));
                }
            }
            System.out.println();
        }
        for (String method : new String[] {"longStream", "longStreamNotKept"}) {
            streamTable(method, runs.get(method));
        }
    }

    /** A long-stream method's table and ratios. */
    private static void streamTable(String method, Map<String, Run> stream) {
        if (stream != null) {
            System.out.println("`" + method + "` (16 MiB answer per call):");
            System.out.println();
            System.out.println("| transport | MB/s | ± 99.9% CI | ms per 16 MiB call | gc.alloc.rate.norm (B per body byte) | MiB allocated per call |");
            System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
            for (String t : TRANSPORTS) {
                Run r = stream.get(t);
                if (r == null) {
                    continue;
                }
                double mbs = r.primary.path("score").asDouble();
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.1f | %s | %s |%n", t, mbs,
                        r.primary.path("scoreError").asDouble(), BenchRecordings.LONG_BYTES / mbs / 1e3,
                        Double.isNaN(r.allocNorm) ? "–" : String.format(Locale.ROOT, "%.2f", r.allocNorm),
                        Double.isNaN(r.allocNorm) ? "–" : String.format(Locale.ROOT, "%,.1f", r.allocNorm * BenchRecordings.LONG_BYTES / MIB));
            }
            System.out.println();
            for (String[] pair : new String[][] {{"netty", "jdk"}, {"jdk", "handwritten"}, {"netty", "handwritten"},
                    {"handwritten", "raw"}, {"jdk", "raw"}, {"netty", "raw"}}) {
                Run a = stream.get(pair[0]);
                Run b = stream.get(pair[1]);
                if (a != null && b != null) {
                    System.out.printf(Locale.ROOT, "%s / %s: %.2f× (%.2f–%.2f)%n", pair[0], pair[1], ratio(a, b),
                            low(a) / high(b), high(a) / low(b));
                }
            }
            System.out.println();
        }
    }

    private static double ratio(Run a, Run b) {
        return a.primary.path("score").asDouble() / b.primary.path("score").asDouble();
    }

    private static double low(Run r) {
        return r.primary.path("scoreConfidence").path(0).asDouble();
    }

    private static double high(Run r) {
        return r.primary.path("scoreConfidence").path(1).asDouble();
    }

    /** Each fork's p50 and p99, from {@code rawDataHistogram}: forks, then iterations, then [value, count] pairs. */
    private static List<double[]> forkPercentiles(JsonNode histogram) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode fork : histogram) {
            TreeMap<Double, Long> counts = new TreeMap<>();
            long total = 0;
            for (JsonNode iteration : fork) {
                for (JsonNode pair : iteration) {
                    counts.merge(pair.path(0).asDouble(), pair.path(1).asLong(), Long::sum);
                    total += pair.path(1).asLong();
                }
            }
            out.add(new double[] {rank(counts, total, 0.50), rank(counts, total, 0.99)});
        }
        return out;
    }

    private static long sampleCount(JsonNode histogram) {
        long total = 0;
        for (JsonNode fork : histogram) {
            for (JsonNode iteration : fork) {
                for (JsonNode pair : iteration) {
                    total += pair.path(1).asLong();
                }
            }
        }
        return total;
    }

    private static double rank(TreeMap<Double, Long> counts, long total, double p) {
        long wanted = (long) Math.ceil(p * total);
        long seen = 0;
        for (Map.Entry<Double, Long> e : counts.entrySet()) {
            seen += e.getValue();
            if (seen >= wanted) {
                return e.getKey();
            }
        }
        return Double.NaN;
    }

    private static String forks(List<double[]> forks, int which) {
        StringBuilder s = new StringBuilder();
        for (double[] f : forks) {
            s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", f[which]));
        }
        return s.toString();
    }

    private static String forkRatios(Run a, Run b, int which) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(a.forkP50P99.size(), b.forkP50P99.size()); i++) {
            s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f×",
                    a.forkP50P99.get(i)[which] / b.forkP50P99.get(i)[which]));
        }
        return s.toString();
    }
}
