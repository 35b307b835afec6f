package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.Dialect;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.testkit.LogCapture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder in front of an OpenAI-compatible upstream (a mock that checks the key): the key is
 * forwarded, the answer relayed and recorded in the OpenAI dialect with its chunks, and the key is in
 * no recording and no log line.
 */
class OpenAiRecorderTest {
    private static final String KEY = "sk-proj-recorder-test-0a1b2c3d4e";
    private static final Recording UPSTREAM = Recording.demo(Dialect.OPENAI).get(0);

    @TempDir
    Path folder;

    @Test
    void aRecordingReplaysToAnOpenAiClientAsTheUpstreamAnswered() throws Exception {
        try (MockServer upstream = MockServer.builder().speed(0).recording(UPSTREAM).build().start();
             Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder).build().start()) {
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}],\"stream\":true}";
            RawHttp.Response original;
            try (RawHttp http = new RawHttp(recorder.baseUri())) {
                original = http.send("POST", OpenAiApi.PATH, Map.of("Authorization", "Bearer " + KEY), body);
            }
            try (MockServer replay = MockServer.builder().speed(0).recordings(folder).build().start();
                 RawHttp http = new RawHttp(replay.baseUri())) {
                RawHttp.Response replayed = http.send("POST", OpenAiApi.PATH, Map.of(), body);
                assertThat(replayed.chunks).hasSameSizeAs(original.chunks);
                for (int i = 0; i < original.chunks.size(); i++) {
                    assertThat(replayed.chunks.get(i)).as("chunk %d", i).isEqualTo(original.chunks.get(i));
                }
            }
        }
    }

    @Test
    void anUpstreamThatEchoesTheKeyIsRelayedButNotRecorded() throws Exception {
        Recording echo = Recording.builder().dialect(Dialect.OPENAI).response(RecordedResponse.builder()
                .chunk(0, "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"your key is " + KEY + "\"}}]}\n\n")
                .chunk(0, "data: [DONE]\n\n").build()).build();
        try (LogCapture capture = LogCapture.start(List.of());
             MockServer upstream = MockServer.builder().speed(0).recording(echo).build().start();
             Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder).build().start();
             RawHttp http = new RawHttp(recorder.baseUri())) {
            RawHttp.Response relayed = http.send("POST", OpenAiApi.PATH, Map.of("Authorization", "Bearer " + KEY),
                    "{\"model\":\"m\",\"messages\":[],\"stream\":true}");

            assertThat(relayed.text()).contains("your key is");
            assertThat(recorder.recorded()).isEmpty();
            assertThat(capture.entries()).anySatisfy(e -> assertThat(e.text()).contains("not written"))
                    .allSatisfy(e -> assertThat(e.text()).doesNotContain(KEY));
        }
    }
}
