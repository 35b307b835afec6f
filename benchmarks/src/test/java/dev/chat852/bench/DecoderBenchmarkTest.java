package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Checks what the benchmark decodes, never how fast: timing belongs to JMH. */
class DecoderBenchmarkTest {

    @ParameterizedTest
    @ValueSource(ints = {64, 1024, 16384})
    void setupVerifiesBothDecodersAtEveryBenchmarkedChunkSize(int chunkSize) {
        DecoderBenchmark benchmark = new DecoderBenchmark();
        benchmark.chunkSize = chunkSize;
        benchmark.setup(); // throws if a decoder misses the header or loses text

        int expected = ChatBodyGenerator.generate(DecoderBenchmark.SEED, DecoderBenchmark.BODY_BYTES).textBytes();
        assertThat(benchmark.framing()).isEqualTo(expected);
    }

    @Test
    void seedPortKeepsTheSampleBehaviour() {
        byte[] body = "start852{\"a\":1}end852你好 worldundefined".getBytes(StandardCharsets.UTF_8);
        SeedClientPort whole = new SeedClientPort();
        whole.onChunk(body, 0, body.length);
        assertThat(whole.headerData()).isEqualTo("{\"a\":1}");
        assertThat(whole.message().toString()).isEqualTo("你好 world");
        assertThat(whole.count()).isEqualTo(1);

        // A marker split between chunks is missed, and so is the header; a split character is garbled.
        int inEnd852 = "start852{\"a\":1}en".length();
        int inNi = inEnd852 + "d852".length() + 1;
        SeedClientPort split = new SeedClientPort();
        split.onChunk(body, 0, inEnd852);
        split.onChunk(body, inEnd852, inNi - inEnd852);
        split.onChunk(body, inNi, body.length - inNi);
        assertThat(split.headerData()).isNull();
        assertThat(split.count()).isEqualTo(3);
        assertThat(split.message().toString())
                .startsWith("start852{\"a\":1}end852\uFFFD")
                .doesNotContain("你")
                .endsWith("好 world");
    }
}
