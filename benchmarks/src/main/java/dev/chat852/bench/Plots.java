package dev.chat852.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Draws the benchmarks' results as SVG files for {@code docs/benchmarks.md}, from the JSON the runs wrote:
 *
 * <ul>
 *   <li>{@code --decoder FILE} ({@link DecoderBenchmark}, JMH {@code -rf json}): {@code decoder-throughput.svg},
 *       MB/s by chunk size, one line per method, whiskers the 99.9% confidence interval;</li>
 *   <li>{@code --transport FILE} ({@link TransportBenchmark} with {@code -prof gc}): {@code
 *       transport-allocation.svg}, bytes allocated per body byte of {@code longStream}, one bar per
 *       transport;</li>
 *   <li>{@code --load FILE} ({@link MockLoad} {@code --json}): {@code load-lateness.svg} and {@code
 *       load-gap-excess.svg}, lateness p99 and gap excess p99 against concurrent replays, one line per
 *       server, the median of the runs with their range as whiskers.</li>
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.chat852.bench.Plots --out docs/images --decoder /tmp/decoder.json</pre>
 *
 * {@code --note TEXT} adds a line under each title (where the data came from, say).
 */
public final class Plots {
    static final String DECODER = "decoder-throughput.svg";
    static final String ALLOCATION = "transport-allocation.svg";
    static final String LATENESS = "load-lateness.svg";
    static final String GAP_EXCESS = "load-gap-excess.svg";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Plots() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length || !List.of("--out", "--decoder", "--transport", "--load", "--note").contains(args[i])) {
                System.err.println("usage: Plots --out DIR [--decoder FILE] [--transport FILE] [--load FILE] [--note TEXT]");
                System.exit(2);
            }
            options.put(args[i], args[i + 1]);
        }
        Path out = Path.of(options.getOrDefault("--out", "."));
        String note = options.getOrDefault("--note", "");
        Files.createDirectories(out);
        if (options.containsKey("--decoder")) {
            write(out.resolve(DECODER), decoder(JSON.readTree(Path.of(options.get("--decoder")).toFile()), note));
        }
        if (options.containsKey("--transport")) {
            write(out.resolve(ALLOCATION), allocation(JSON.readTree(Path.of(options.get("--transport")).toFile()), note));
        }
        if (options.containsKey("--load")) {
            JsonNode load = JSON.readTree(Path.of(options.get("--load")).toFile());
            write(out.resolve(LATENESS), load(load, "latenessP99Us", "MockLoad: lateness p99 against concurrent replays",
                    "lateness p99 (µs, log scale)", note));
            write(out.resolve(GAP_EXCESS), load(load, "gapExcessP99Us", "MockLoad: gap excess p99 against concurrent replays",
                    "gap excess p99 (µs, log scale)", note));
        }
    }

    private static void write(Path file, SvgChart chart) throws IOException {
        Files.writeString(file, chart.render(), StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }

    /** MB/s of each DecoderBenchmark method by chunk size. */
    static SvgChart decoder(JsonNode runs, String note) {
        Map<String, List<SvgChart.Point>> byMethod = new LinkedHashMap<>();
        JsonNode first = null;
        for (JsonNode run : runs) {
            String method = method(run, DecoderBenchmark.class);
            if (method == null) {
                continue;
            }
            first = first == null ? run : first;
            JsonNode m = run.path("primaryMetric");
            byMethod.computeIfAbsent(method, k -> new ArrayList<>()).add(new SvgChart.Point(
                    run.path("params").path("chunkSize").asDouble(), m.path("score").asDouble(),
                    m.path("scoreConfidence").path(0).asDouble(), m.path("scoreConfidence").path(1).asDouble()));
        }
        SvgChart chart = new SvgChart("DecoderBenchmark: throughput by chunk size", subtitle(first, "whiskers: 99.9% CI", note),
                "chunk size (bytes, log scale)", "MB/s (log scale)").logX().logY();
        byMethod.forEach((method, points) -> chart.add(new SvgChart.Series(method, sortedByX(points))));
        return chart;
    }

    /** The transports whose calls keep the answer unless told not to. */
    private static final Set<String> CLIENTS = Set.of("jdk", "netty");

    /** longStream's gc.alloc.rate.norm (bytes per body byte) by transport, and longStreamNotKept's for chat852's. */
    static SvgChart allocation(JsonNode runs, String note) {
        List<String> transports = new ArrayList<>();
        List<SvgChart.Point> points = new ArrayList<>();
        JsonNode first = null;
        for (JsonNode run : runs) {
            JsonNode alloc = run.path("secondaryMetrics").path("gc.alloc.rate.norm");
            String method = method(run, TransportBenchmark.class);
            String transport = run.path("params").path("transport").asText();
            boolean notKept = "longStreamNotKept".equals(method);
            // the baselines never keep the answer: their longStreamNotKept is their longStream again
            if (!("longStream".equals(method) || notKept && CLIENTS.contains(transport)) || alloc.isMissingNode()) {
                continue;
            }
            first = first == null ? run : first;
            transports.add(notKept ? transport + ", text not kept" : transport);
            double score = alloc.path("score").asDouble();
            double error = alloc.path("scoreError").asDouble();
            points.add(new SvgChart.Point(points.size(), score, Double.isNaN(error) ? Double.NaN : Math.max(0, score - error),
                    Double.isNaN(error) ? Double.NaN : score + error));
        }
        return new SvgChart("TransportBenchmark.longStream: bytes allocated per body byte",
                subtitle(first, "-prof gc, whiskers: 99.9% CI", note), "transport", "B allocated per body byte")
                .categories(transports).add(new SvgChart.Series("gc.alloc.rate.norm", points));
    }

    /** One MockLoad figure against N: per server, the median of the runs at each N, whiskers their range. */
    static SvgChart load(JsonNode load, String field, String title, String yLabel, String note) {
        Map<String, TreeMap<Integer, List<Double>>> byServer = new LinkedHashMap<>();
        for (JsonNode run : load.path("runs")) {
            TreeMap<Integer, List<Double>> byN = byServer.computeIfAbsent(run.path("server").asText(), k -> new TreeMap<>());
            JsonNode v = run.path(field);
            if (v.isNumber()) { // null where no answer completed
                byN.computeIfAbsent(run.path("connections").asInt(), k -> new ArrayList<>()).add(v.asDouble());
            }
        }
        JsonNode s = load.path("settings");
        String sub = String.format(Locale.ROOT, "%d chunks of %d bytes, %d ms apart, status line after %d ms; JVM %s, %d cores;"
                        + " median of the runs, whiskers min-max", s.path("chunks").asInt(), s.path("chunkBytes").asInt(),
                s.path("gapMs").asLong(), s.path("headMs").asLong(), s.path("jvm").asText(), s.path("cores").asInt());
        SvgChart chart = new SvgChart(title, note.isEmpty() ? sub : sub + "; " + note, "concurrent replays (log scale)", yLabel)
                .logX().logY();
        byServer.forEach((server, byN) -> {
            List<SvgChart.Point> points = new ArrayList<>();
            byN.forEach((n, values) -> {
                double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
                points.add(new SvgChart.Point(n, median, v[0], v[v.length - 1]));
            });
            chart.add(new SvgChart.Series(points.isEmpty() ? server + " (nothing measured)" : server, points));
        });
        return chart;
    }

    /** The method name of a JMH run of the given class, or null for another class's run. */
    private static String method(JsonNode run, Class<?> benchmark) {
        String name = run.path("benchmark").asText();
        return name.startsWith(benchmark.getName() + ".") ? name.substring(benchmark.getName().length() + 1) : null;
    }

    private static String subtitle(JsonNode run, String what, String note) {
        if (run == null) {
            return note.isEmpty() ? "no runs in the file" : note;
        }
        String s = String.format(Locale.ROOT, "JMH %s, JDK %s, %d forks x %d iterations of %s; %s", run.path("jmhVersion").asText(),
                run.path("vmVersion").asText(), run.path("forks").asInt(), run.path("measurementIterations").asInt(),
                run.path("measurementTime").asText(), what);
        return note.isEmpty() ? s : s + "; " + note;
    }

    private static List<SvgChart.Point> sortedByX(List<SvgChart.Point> points) {
        SvgChart.Point[] p = points.toArray(new SvgChart.Point[0]);
        Arrays.sort(p, (a, b) -> Double.compare(a.x(), b.x()));
        return List.of(p);
    }
}
