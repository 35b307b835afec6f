package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Chunks, responses and recordings are values: equal when every part is equal (so a test can compare a
 * recording read back with the one written), with a hash code to match, and a one-line description.
 * Their builders start from a copy and replace what they are told to.
 */
class RecordingValuesTest {
    private static final RecordedResponse RESPONSE = RecordedResponse.builder().status(201)
            .header("Content-Type", "text/event-stream").headersDelayMs(7)
            .chunk(0, "你好").chunk(35, new byte[] {(byte) 0xE4}).fault(Fault.truncate(4)).build();

    @Test
    void chunksAreEqualWhenTheirDelayAndBytesAre() {
        Chunk chunk = Chunk.of(35, "hi");

        assertThat(chunk).isEqualTo(Chunk.of(35, "hi")).hasSameHashCodeAs(Chunk.of(35, "hi"));
        assertThat(chunk).isNotEqualTo(Chunk.of(36, "hi")).isNotEqualTo(Chunk.of(35, "ho"))
                .isNotEqualTo("+35ms \"hi\"").isNotEqualTo(null);
        assertThat(List.of(Chunk.of(35, "hi").hashCode(), Chunk.of(36, "hi").hashCode(), Chunk.of(35, "ho").hashCode()))
                .as("the delay and the bytes both count in the hash").doesNotHaveDuplicates();
    }

    @Test
    void aChunkDescribesItselfAsTextOrAsBase64() {
        assertThat(Chunk.of(35, "你好")).hasToString("+35ms \"你好\"");
        assertThat(Chunk.of(0, new byte[] {(byte) 0xE4, (byte) 0xBD})).as("half a character is not text")
                .hasToString("+0ms base64:5L0=");
    }

    @Test
    void responsesAreEqualWhenEveryPartIs() {
        RecordedResponse same = RESPONSE.newBuilder().build();

        assertThat(same).isEqualTo(RESPONSE).hasSameHashCodeAs(RESPONSE);
        assertThat(RESPONSE).isNotEqualTo(RESPONSE.newBuilder().status(200).build())
                .isNotEqualTo(RESPONSE.newBuilder().header("X-Other", "1").build())
                .isNotEqualTo(RESPONSE.newBuilder().headersDelayMs(8).build())
                .isNotEqualTo(RESPONSE.newBuilder().chunk(0, "!").build())
                .isNotEqualTo(RESPONSE.newBuilder().fault(Fault.reset(1)).build())
                .isNotEqualTo(RESPONSE.toString()).isNotEqualTo(null);
        assertThat(RESPONSE.hashCode()).isNotEqualTo(RecordedResponse.builder().build().hashCode());
    }

    @Test
    void aResponseDescribesItsStatusChunksBytesDurationAndFaults() {
        assertThat(RESPONSE).hasToString("HTTP 201, 2 chunks, 7 bytes over 35 ms, faults [truncate:4]");
        assertThat(RecordedResponse.builder().chunk(5, "ok").build()).hasToString("HTTP 200, 1 chunks, 2 bytes over 5 ms");
    }

    @Test
    void newBuilderStartsFromACopyOfEveryPart() {
        RecordedResponse copy = RESPONSE.newBuilder().build();

        assertThat(copy.status()).isEqualTo(201);
        assertThat(copy.headers()).containsExactlyEntriesOf(RESPONSE.headers());
        assertThat(copy.headersDelayMs()).isEqualTo(7);
        assertThat(copy.chunks()).isEqualTo(RESPONSE.chunks());
        assertThat(copy.faults()).containsExactly(Fault.truncate(4));
        assertThat(RESPONSE.newBuilder().header("X-More", "1").build().headers())
                .containsOnlyKeys("Content-Type", "X-More");
    }

    @Test
    void chunksAndFaultsReplaceWhatTheBuilderHad() {
        RecordedResponse replaced = RESPONSE.newBuilder().chunks(List.of(Chunk.of(1, "a"), Chunk.of(2, "b")))
                .faults(List.of(Fault.reset(1))).build();

        assertThat(replaced.chunks()).containsExactly(Chunk.of(1, "a"), Chunk.of(2, "b"));
        assertThat(replaced.faults()).containsExactly(Fault.reset(1));
        assertThat(RESPONSE.newBuilder().chunks(List.of()).faults(List.of()).build())
                .isEqualTo(RecordedResponse.builder().status(201).header("Content-Type", "text/event-stream")
                        .headersDelayMs(7).build());
    }

    @Test
    void aHeaderReplacesOneOfTheSameNameInAnyCaseAndKeepsTheOthers() {
        RecordedResponse response = RecordedResponse.builder().header("X-A", "1").header("Content-Type", "a")
                .header("content-type", "b").build();

        assertThat(response.headers()).containsExactly(java.util.Map.entry("X-A", "1"), java.util.Map.entry("content-type", "b"));
    }

    @Test
    void theStatusIsAnHttpStatusFrom100To599() {
        assertThat(RecordedResponse.builder().status(100).build().status()).isEqualTo(100);
        assertThat(RecordedResponse.builder().status(599).build().status()).isEqualTo(599);
        assertThatThrownBy(() -> RecordedResponse.builder().status(99)).hasMessageContaining("100..599, was 99");
        assertThatThrownBy(() -> RecordedResponse.builder().status(600)).hasMessageContaining("100..599, was 600");
    }

    @Test
    void recordingsAreEqualWhenNameDialectRequestAndResponseAre() {
        Recording recording = Recording.builder().name("hello").dialect(Dialect.OPENAI)
                .request(RecordedRequest.builder().model("gpt-4").build()).response(RESPONSE).build();

        assertThat(recording.newBuilder().build()).isEqualTo(recording).hasSameHashCodeAs(recording);
        assertThat(recording).isNotEqualTo(recording.newBuilder().name("other").build())
                .isNotEqualTo(recording.newBuilder().dialect(Dialect.CHAT852).build())
                .isNotEqualTo(recording.newBuilder().request(RecordedRequest.any()).build())
                .isNotEqualTo(recording.newBuilder().response(RecordedResponse.builder().build()).build())
                .isNotEqualTo(recording.toString()).isNotEqualTo(null);
        assertThat(recording.hashCode()).isNotEqualTo(Recording.builder().build().hashCode());
    }

    @Test
    void aRecordingDescribesItsNameDialectRequestAndResponse() {
        Recording openAi = Recording.builder().name("hello").dialect(Dialect.OPENAI).response(RESPONSE).build();

        assertThat(openAi.toString()).startsWith("hello [openai] (").endsWith(" -> " + RESPONSE + ")")
                .contains(RecordedRequest.any().toString());
        assertThat(Recording.builder().name("plain").build())
                .hasToString("plain (" + RecordedRequest.any() + " -> HTTP 200, 0 chunks, 0 bytes over 0 ms)");
    }

    @Test
    void theOpenAiDemoIsTheTwoBundledRecordingsOfThatDialectMostSpecificFirst() {
        assertThat(Recording.demo(Dialect.OPENAI)).extracting(Recording::name).containsExactly("demo-openai-zh", "demo-openai");
        assertThat(Recording.demo(Dialect.OPENAI)).extracting(Recording::dialect).containsOnly(Dialect.OPENAI);
        assertThat(Recording.demo(Dialect.CHAT852)).isEqualTo(Recording.demo());
    }
}
