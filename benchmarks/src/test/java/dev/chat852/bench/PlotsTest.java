package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Plots draws the series the JSON holds, with the values it holds: read back from the SVG's data attributes. */
class PlotsTest {

    @Test
    void decoderThroughputHasALinePerDecoderMethodWithEachChunkSizesScoreAndInterval() throws Exception {
        Map<String, List<double[]>> series = drawn(Plots.decoder(fixture("decoder.json"), "").render(), "circle");

        assertThat(series.keySet()).containsExactly("framing", "strings"); // the SSE benchmark's run left out
        assertThat(series.get("framing")).containsExactly(
                new double[] {64, 4000}, new double[] {1024, 11415}, new double[] {16384, 14047});
        assertThat(series.get("strings")).containsExactly( // sorted by chunk size, whatever the file's order
                new double[] {64, 660}, new double[] {1024, 968}, new double[] {16384, 877});
    }

    @Test
    void allocationHasABarPerTransportOfLongStreamOnly() throws Exception {
        String svg = Plots.allocation(fixture("transport.json"), "").render();
        Map<String, List<double[]>> series = drawn(svg, "rect");

        assertThat(series.get("gc.alloc.rate.norm")).containsExactly(
                new double[] {0, 12.06}, new double[] {1, 11.65}, new double[] {2, 0.004}, new double[] {3, 4.5});
        assertThat(texts(svg)).contains("jdk", "netty", "raw", "handwritten");
    }

    @Test
    void loadHasALinePerServerWithTheMedianOfItsRunsAtEachN() throws Exception {
        String svg = Plots.load(fixture("load.json"), "latenessP99Us", "lateness", "µs", "").render();
        Map<String, List<double[]>> series = drawn(svg, "circle");

        assertThat(series.keySet()).containsExactly("mock", "wiremock", "mockwebserver (nothing measured)");
        assertThat(series.get("mock")).containsExactly(new double[] {100, 1751}, new double[] {1000, 4461});
        assertThat(series.get("wiremock")).containsExactly(new double[] {100, 2500}, new double[] {1000, 10000});
        assertThat(series.get("mockwebserver (nothing measured)")).isEmpty();
        assertThat(texts(svg)).anyMatch(t -> t.startsWith("21 chunks of 100 bytes, 50 ms apart"));
    }

    @Test
    void mainWritesEveryPlotItIsGivenDataForAndTheSameDataGivesTheSameFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        for (String name : List.of("decoder.json", "transport.json", "load.json")) {
            try (InputStream in = PlotsTest.class.getResourceAsStream("plots/" + name)) {
                Files.copy(in, data.resolve(name));
            }
        }
        String[] args = {"--out", dir.resolve("out").toString(), "--decoder", data.resolve("decoder.json").toString(),
                "--transport", data.resolve("transport.json").toString(), "--load", data.resolve("load.json").toString(),
                "--note", "a <fixture> & more"};

        Plots.main(args);
        String first = Files.readString(dir.resolve("out").resolve(Plots.LATENESS));
        Plots.main(args);

        for (String name : List.of(Plots.DECODER, Plots.ALLOCATION, Plots.LATENESS, Plots.GAP_EXCESS)) {
            Path file = dir.resolve("out").resolve(name);
            assertThat(file).exists();
            assertThat(String.join(" ", texts(Files.readString(file)))).as(name).contains("a <fixture> & more");
        }
        assertThat(Files.readString(dir.resolve("out").resolve(Plots.LATENESS))).isEqualTo(first);
    }

    private static JsonNode fixture(String name) throws IOException {
        try (InputStream in = PlotsTest.class.getResourceAsStream("plots/" + name)) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Per series, in drawing order, the (data-x, data-y) of its elements with the given tag. */
    private static Map<String, List<double[]>> drawn(String svg, String tag) throws Exception {
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        NodeList groups = parse(svg).getElementsByTagName("g");
        for (int i = 0; i < groups.getLength(); i++) {
            Element g = (Element) groups.item(i);
            List<double[]> points = new ArrayList<>();
            NodeList marks = g.getElementsByTagName(tag);
            for (int j = 0; j < marks.getLength(); j++) {
                Element m = (Element) marks.item(j);
                if (m.hasAttribute("data-x")) {
                    points.add(new double[] {Double.parseDouble(m.getAttribute("data-x")), Double.parseDouble(m.getAttribute("data-y"))});
                }
            }
            out.put(g.getAttribute("data-series"), points);
        }
        return out;
    }

    private static List<String> texts(String svg) throws Exception {
        List<String> out = new ArrayList<>();
        NodeList texts = parse(svg).getElementsByTagName("text");
        for (int i = 0; i < texts.getLength(); i++) {
            out.add(texts.item(i).getTextContent());
        }
        return out;
    }

    /** Parses the SVG as XML: it must be well-formed. */
    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }
}
