package dev.chat852.cli.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.ReceivedRequest;
import dev.chat852.mock.Recorder;
import dev.chat852.mock.Recording;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.LogCapture;
import dev.chat852.testkit.OpenAiStreams;
import dev.chat852.transport.jdk.JdkTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder between our client (OpenAI dialect) and an OpenAI-compatible upstream: it records the stream, never the key. */
class OpenAiRecorderClientTest {
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

            String expected = OpenAiStreams.read(UPSTREAM.response().body()).text();
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
}
