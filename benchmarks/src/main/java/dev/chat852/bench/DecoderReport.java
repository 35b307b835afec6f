package dev.chat852.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the JSON of a {@link DecoderBenchmark} run ({@code -rf json -rff FILE}) into the Markdown
 * tables of {@code docs/benchmarks.md}, so the doc is never copied by hand.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.DecoderReport /tmp/decoder.json</pre>
 */
public final class DecoderReport {
    private static final List<String> METHODS = List.of("framing", "strings", "seedPort", "memcpy", "newString", "newStringAligned");
    private static final List<String[]> RATIOS = List.of(
            new String[] {"framing", "seedPort"}, new String[] {"framing", "memcpy"}, new String[] {"strings", "newString"}, new String[] {"strings", "newStringAligned"});

    private record Result(double score, double error, double low, double high, double allocNorm) {
    }

    private DecoderReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: DecoderReport <jmh-result.json>");
            System.exit(2);
        }
        // chunkSize -> method -> result
        Map<Integer, Map<String, Result>> results = new TreeMap<>();
        for (JsonNode run : new ObjectMapper().readTree(new File(args[0]))) {
            String name = run.path("benchmark").asText();
            if (!name.startsWith(DecoderBenchmark.class.getName() + ".")) {
                continue;
            }
            String method = name.substring(name.lastIndexOf('.') + 1);
            int chunkSize = run.path("params").path("chunkSize").asInt();
            JsonNode primary = run.path("primaryMetric");
            JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            results.computeIfAbsent(chunkSize, k -> new TreeMap<>()).put(method, new Result(
                    primary.path("score").asDouble(), primary.path("scoreError").asDouble(),
                    primary.path("scoreConfidence").path(0).asDouble(), primary.path("scoreConfidence").path(1).asDouble(),
                    alloc.isMissingNode() ? Double.NaN : alloc.path("score").asDouble()));
        }

        System.out.println("| method | chunk (B) | MB/s | ± 99.9% CI | gc.alloc.rate.norm (B/op) | B per 1 MiB body |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
        for (String method : METHODS) {
            results.forEach((chunk, byMethod) -> {
                Result r = byMethod.get(method);
                if (r != null) {
                    System.out.printf(Locale.ROOT, "| `%s` | %d | %,.0f | %,.0f | %s | %s |%n", method, chunk, r.score, r.error,
                            alloc(r.allocNorm), Double.isNaN(r.allocNorm) ? "–"
                                    : String.format(Locale.ROOT, "%,.0f", r.allocNorm * DecoderBenchmark.BODY_BYTES));
                }
            });
        }

        System.out.println();
        StringBuilder head = new StringBuilder("| chunk (B) |");
        StringBuilder rule = new StringBuilder("| ---: |");
        for (String[] ratio : RATIOS) {
            head.append(' ').append(ratio[0]).append(" / ").append(ratio[1]).append(" |");
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
                        a.score / b.score, a.low / b.high, a.high / b.low));
            }
            System.out.println(row);
        });
    }

    private static String alloc(double norm) {
        if (Double.isNaN(norm)) {
            return "–";
        }
        return norm < 0.01 ? String.format(Locale.ROOT, "%.1e", norm) : String.format(Locale.ROOT, "%.3f", norm);
    }
}
