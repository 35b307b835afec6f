package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.testkit.LogCapture;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.spi.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
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
    void recordsAnOpenAiStreamWithItsChunksAndNeverTheBearerKey() throws Exception {
        try (LogCapture capture = LogCapture.start(Set.of("io.netty"));
             MockServer upstream = MockServer.builder().token(KEY).speed(0).recording(UPSTREAM).build().start();
             Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder).build().start();
             Transport transport = JdkTransport.create();
             ChatClient client = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                     .baseUrl(recorder.baseUri().toString()).token(KEY).build()) {
            String streamed = client.stream(ChatRequest.builder().user("你好").param("temperature", 0.2).build())
                    .completion().join().text();
            String whole = client.complete(ChatRequest.of("你好")).text();

            String expected = OpenAiStreams.read(UPSTREAM.response()).text();
            assertThat(streamed).isEqualTo(expected);
            assertThat(whole).isEqualTo(expected);
            assertThat(upstream.requests()).as("the key reached the upstream").allMatch(ReceivedRequest::hasToken);

            assertThat(recorder.recorded()).hasSize(2);
            Recording recorded = Recording.read(recorder.recorded().get(0));
            assertThat(recorded.dialect()).isEqualTo(Dialect.OPENAI);
            assertThat(recorded.request().messages()).hasValueSatisfying(m -> assertThat(m).hasSize(1));
            assertThat(recorded.response().body()).isEqualTo(UPSTREAM.response().body());
            assertThat(Files.readString(recorder.recorded().get(0))).contains("\"dialect\": \"openai\"",
                    "\"params\":{\"stream\":true,\"temperature\":0.2}");
            assertThat(Recording.read(recorder.recorded().get(1)).response().isJson()).isTrue();

            try (Stream<Path> files = Files.list(folder)) {
                for (Path file : files.toList()) {
                    assertThat(Files.readString(file)).as(file.toString()).doesNotContain(KEY);
                }
            }
            assertThat(capture.entries()).as("the recorder did log").isNotEmpty()
                    .allSatisfy(e -> assertThat(e.text()).doesNotContain(KEY));
        }
    }

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
