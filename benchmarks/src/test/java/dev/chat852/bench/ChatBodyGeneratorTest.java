package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChatBodyGeneratorTest {

    private final ChatBodyGenerator.Body body = ChatBodyGenerator.generate(DecoderBenchmark.SEED, DecoderBenchmark.BODY_BYTES);

    @Test
    void bodyIsExactlyOneMebibyteOfHeaderTextAndTrailer() {
        String header = "start852" + ChatBodyGenerator.HEADER_JSON + "end852";
        String whole = new String(body.bytes(), StandardCharsets.UTF_8);

        assertThat(body.bytes()).hasSize(1 << 20);
        assertThat(whole).isEqualTo(header + body.text() + "undefined");
        assertThat(body.textBytes()).isEqualTo(body.text().getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void textIsValidUtf8WithoutMarkers() {
        assertThat(body.text()).doesNotContain("\uFFFD", "start852", "end852", "undefined");
    }

    @Test
    void textIsRoughlyHalfChineseHalfAsciiByBytes() {
        long nonAscii = 0;
        for (byte b : body.text().getBytes(StandardCharsets.UTF_8)) {
            if (b < 0) {
                nonAscii++;
            }
        }
        assertThat((double) nonAscii / body.textBytes()).isBetween(0.4, 0.6);
        assertThat(body.text()).contains("，", "。", ". ", "8", "\n");
    }

    @Test
    void sameSeedGivesSameBody() {
        assertThat(ChatBodyGenerator.generate(DecoderBenchmark.SEED, DecoderBenchmark.BODY_BYTES).bytes())
                .isEqualTo(body.bytes());
        assertThat(ChatBodyGenerator.generate(DecoderBenchmark.SEED + 1, DecoderBenchmark.BODY_BYTES).bytes())
                .isNotEqualTo(body.bytes());
    }

    @Test
    void paddingNeverCutsACharacter() {
        for (int size = 400; size < 460; size++) {
            ChatBodyGenerator.Body small = ChatBodyGenerator.generate(7, size);
            assertThat(small.bytes()).hasSize(size);
            assertThat(new String(small.bytes(), StandardCharsets.UTF_8)).doesNotContain("\uFFFD").endsWith("undefined");
        }
    }
}
