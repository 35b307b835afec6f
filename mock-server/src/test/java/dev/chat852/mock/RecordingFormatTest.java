package dev.chat852.mock;

import dev.chat852.ChatMessage;
import dev.chat852.wire.Header;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordingFormatTest {
    /** The example from the issue, field for field. */
    private static final String ISSUE_EXAMPLE = "{\"request\":  {\"model\": \"gpt-4\", \"messages\": [{\"role\": \"user\", \"content\": \"你好\"}]},\n"
            + " \"response\": {\"status\": 200, \"headers\": {\"Content-Type\": \"text/event-stream; charset=utf-8\"},\n"
            + "              \"chunks\": [{\"delayMs\": 0,  \"text\": \"start852{}end852\"}, {\"delayMs\": 35, \"base64\": \"5L2g\"}]}}";

    @Test
    void readsTheDocumentedFormat() {
        Recording r = Recording.parse(ISSUE_EXAMPLE, "example");

        assertThat(r.name()).isEqualTo("example");
        assertThat(r.request().model()).hasValue("gpt-4");
        assertThat(r.request().messages()).hasValue(List.of(new ChatMessage("user", "你好")));
        assertThat(r.response().status()).isEqualTo(200);
        assertThat(r.response().header("content-type")).hasValue("text/event-stream; charset=utf-8");
        assertThat(r.response().chunks()).containsExactly(Chunk.of(0, "start852{}end852"), Chunk.of(35, "你"));
    }

    @Test
    void aRecordingWithoutRequestMatchesAnyRequestAndExtraFieldsAreIgnored() {
        Recording r = Recording.parse("{\"comment\":\"hi\",\"response\":{\"chunks\":[{\"text\":\"x\",\"note\":1}],\"extra\":true}}", "n");

        assertThat(r.request().isAny()).isTrue();
        assertThat(r.request().matches("any-model", List.of())).isTrue();
        assertThat(r.response().status()).isEqualTo(200);
        assertThat(r.response().chunks()).containsExactly(Chunk.of(0, "x"));
    }

    @Test
    void writesTextWhenTheBytesAreValidUtf8AndBase64WhenNot() {
        byte[] ni = "你".getBytes(StandardCharsets.UTF_8);
        Recording r = Recording.of(RecordedResponse.builder()
                .chunk(0, "好的")
                .chunk(35, new byte[] {ni[0], ni[1]})
                .chunk(5, new byte[] {ni[2]})
                .build());

        String json = r.toJson();

        assertThat(json).contains("{\"delayMs\": 0, \"text\": \"好的\"}")
                .contains("{\"delayMs\": 35, \"base64\": \"5L0=\"}")
                .contains("{\"delayMs\": 5, \"base64\": \"oA==\"}");
        assertThat(Recording.parse(json, "x")).isEqualTo(r.newBuilder().name("unnamed").build());
    }

    @Test
    void aWrittenRecordingReadsBackEqual(@TempDir Path dir) {
        Recording r = Recording.builder()
                .name("round-trip")
                .request(RecordedRequest.builder().model("gpt-4").message("system", "be brief").message("user", "\"quoted\"\n").build())
                .response(RecordedResponse.builder().status(200).header("Content-Type", "text/plain").headersDelayMs(120)
                        .chunk(0, "a").chunk(7, new byte[] {(byte) 0xff}).fault(Fault.stall(1, 50)).fault(Fault.reset(2)).build())
                .build();

        r.write(dir.resolve("round-trip.json"));

        assertThat(Recording.read(dir.resolve("round-trip.json"))).isEqualTo(r);
        assertThat(Recording.readAll(dir)).containsExactly(r);
    }

    @Test
    void badFilesAreRejectedNamingTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path both = dir.resolve("both.json");
        Files.writeString(both, "{\"response\":{\"chunks\":[{\"text\":\"a\"},{\"text\":\"b\",\"base64\":\"Yg==\"}]}}");
        Path fault = dir.resolve("fault.json");
        Files.writeString(fault, "{\"response\":{\"faults\":[\"explode:1\"]}}");

        assertThatThrownBy(() -> Recording.read(both)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("both.json").hasMessageContaining("response.chunks[1]").hasMessageContaining("exactly one");
        assertThatThrownBy(() -> Recording.read(fault)).hasMessageContaining("explode:1");
        assertThatThrownBy(() -> Recording.parse("[]", "array")).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> Recording.parse("{\"request\":{}}", "r")).hasMessageContaining("response");
    }

    @Test
    void readsAFolderRecursivelyInPathOrder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("b"));
        Files.writeString(dir.resolve("b/one.json"), "{\"response\":{}}");
        Files.writeString(dir.resolve("a.json"), "{\"response\":{}}");
        Files.writeString(dir.resolve("notes.txt"), "not a recording");

        assertThat(Recording.readAll(dir)).extracting(Recording::name).containsExactly("a", "one");
    }

    @Test
    void readsAClasspathFolder() {
        assertThat(Recording.fromClasspath("recordings")).extracting(Recording::name)
                .containsExactly("greeting", "nested-greeting");
        assertThatThrownBy(() -> Recording.fromClasspath("no/such/folder")).hasMessageContaining("no/such/folder");
    }

    @Test
    void demoFilesAreInTheFormThatRecordingsAreWrittenIn() throws Exception {
        for (Recording r : Recording.demo()) {
            try (InputStream in = getClass().getResourceAsStream("/dev/chat852/mock/demo/" + r.name() + ".json")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(r.name()).isEqualTo(r.toJson());
            }
        }
    }

    @Test
    void demoRecordingsLookLikeTheRealService() {
        List<Recording> demo = Recording.demo();
        assertThat(demo).extracting(Recording::name).containsExactly("demo-zh", "demo-en");
        assertThat(demo.get(0).request().matches("gpt-4", List.of(new ChatMessage("user", "你好")))).isTrue();
        assertThat(demo.get(1).request().isAny()).isTrue();

        for (Recording r : demo) {
            List<Chunk> chunks = r.response().chunks();
            StringBuilder text = new StringBuilder();
            List<Header> headers = new ArrayList<>();
            StreamDecoder decoder = new StreamDecoder(new StreamHandler() {
                @Override
                public void onText(String piece) {
                    text.append(piece);
                }

                @Override
                public void onHeader(Header header) {
                    headers.add(header);
                }
            });
            for (Chunk c : chunks) {
                byte[] b = c.bytes();
                decoder.feed(b, 0, b.length);
            }
            decoder.finish();

            assertThat(r.response().bodyText()).as(r.name()).startsWith("start852{").endsWith("undefined");
            assertThat(headers).singleElement().satisfies(h -> assertThat(h.dailyCallLimit()).hasValue(100));
            assertThat(text.toString()).doesNotContain("undefined", "852{", "\ufffd").hasSizeGreaterThan(100);
            assertThat(chunks).as("a few characters a chunk").hasSizeGreaterThan(40);
            assertThat(chunks.subList(2, chunks.size())).allSatisfy(c -> assertThat(c.size()).isLessThanOrEqualTo(16));
            assertThat(chunks.get(0).text()).as("start852 split").isNotEqualTo("start852").isIn("st", "start85");
            assertThat(chunks).filteredOn(c -> c.delayMs() > 0).hasSizeGreaterThan(40);
        }
        assertThat(demo.get(0).response().chunks()).filteredOn(c -> !c.isUtf8()).as("split Chinese characters").isNotEmpty();
        assertThat(demo.get(0).response().chunks().get(1).text()).as("end852 split").endsWith("}end8");
    }
}
