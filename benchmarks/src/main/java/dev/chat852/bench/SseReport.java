package dev.chat852.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JSON of a {@link SseDecoderBenchmark} run ({@code -rf json -rff FILE}) into the Markdown
 * tables of {@code docs/benchmarks.md}: each method's median over all measured iterations (the machine
 * is shared, so the median says more than the mean), their spread, the mean with its error, the
 * allocation, and the ratios of the medians to OkHttp with the range the two confidence intervals allow.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.SseReport /tmp/sse.json</pre>
 */
public final class SseReport {
    private static final List<String> METHODS = List.of("sseViews", "sseStrings", "okhttp", "openAiChunks");
    private static final List<String[]> RATIOS = List.of(new String[] {"sseStrings", "okhttp"},
            new String[] {"sseViews", "okhttp"}, new String[] {"openAiChunks", "okhttp"});

    private record Result(double score, double error, double low, double high, double median, double min, double max,
                          double allocNorm) {
    }

    private SseReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: SseReport <jmh-result.json>");
            System.exit(2);
        }
        Map<Integer, Map<String, Result>> results = new TreeMap<>(); // chunkSize -> method -> result
        for (JsonNode run : new ObjectMapper().readTree(new File(args[0]))) {
            String name = run.path("benchmark").asText();
            if (!name.startsWith(SseDecoderBenchmark.class.getName() + ".")) {
                continue;
            }
            JsonNode primary = run.path("primaryMetric");
            JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            List<Double> iterations = new ArrayList<>(); // every measured iteration of every fork
            primary.path("rawData").forEach(fork -> fork.forEach(i -> iterations.add(i.asDouble())));
            Collections.sort(iterations);
            int n = iterations.size();
            double median = n == 0 ? Double.NaN : n % 2 == 1 ? iterations.get(n / 2)
                    : (iterations.get(n / 2 - 1) + iterations.get(n / 2)) / 2;
            results.computeIfAbsent(run.path("params").path("chunkSize").asInt(), k -> new TreeMap<>())
                    .put(name.substring(name.lastIndexOf('.') + 1), new Result(primary.path("score").asDouble(),
                            primary.path("scoreError").asDouble(), primary.path("scoreConfidence").path(0).asDouble(),
                            primary.path("scoreConfidence").path(1).asDouble(), median,
                            n == 0 ? Double.NaN : iterations.get(0), n == 0 ? Double.NaN : iterations.get(n - 1),
                            alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
        }
        System.out.println("| method | chunk (B) | median MB/s | iterations min–max | mean ± 99.9% CI | B allocated per body byte |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (String method : METHODS) {
            results.forEach((chunk, byMethod) -> {
                Result r = byMethod.get(method);
                if (r != null) {
                    System.out.printf(Locale.ROOT, "| `%s` | %d | %,.0f | %,.0f–%,.0f | %,.0f ± %,.0f | %s |%n", method, chunk,
                            r.median, r.min, r.max, r.score, r.error,
                            Double.isNaN(r.allocNorm) ? "–" : String.format(Locale.ROOT, "%.3f", r.allocNorm));
                }
            });
        }
        System.out.println();
        System.out.println("Ratios of medians, and in brackets the range the two means' 99.9% intervals allow:");
        System.out.println();
        StringBuilder head = new StringBuilder("| chunk (B) |");
        StringBuilder rule = new StringBuilder("| ---: |");
        for (String[] ratio : RATIOS) {
            head.append(" `").append(ratio[0]).append("` / `").append(ratio[1]).append("` |");
            rule.append(" ---: |");
        }
        System.out.println(head);
        System.out.println(rule);
        results.forEach((chunk, byMethod) -> {
            StringBuilder row = new StringBuilder("| " + chunk + " |");
            for (String[] ratio : RATIOS) {
                Result a = byMethod.get(ratio[0]);
                Result b = byMethod.get(ratio[1]);
                row.append(a == null || b == null ? " – |" : String.format(Locale.ROOT, " %.2f× (%.2f–%.2f) |",
                        a.median / b.median, a.low / b.high, a.high / b.low));
            }
            System.out.println(row);
        });
    }
}
