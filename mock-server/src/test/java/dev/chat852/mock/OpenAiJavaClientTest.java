package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.chat852.Dialect;
import dev.chat852.testkit.OpenAiStreams;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official {@code openai-java} client, which nobody here wrote, pointed at the mock: it streams the
 * recorded SSE answers, under any re-chunking, and gets exactly the recorded text; its whole answers and
 * its errors read as they would from OpenAI.
 */
class OpenAiJavaClientTest {
    private static final String KEY = "sk-openai-java-test-5e6f7a";
    private static final List<Recording> RECORDINGS = Recording.demo(Dialect.OPENAI);

    private static OpenAIClient client(MockServer server, String key) {
        return OpenAIOkHttpClient.builder().apiKey(key).baseUrl(server.baseUri() + "/v1").maxRetries(0).build();
    }

    private static ChatCompletionCreateParams ask(String prompt) {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(prompt).build();
    }

    @ParameterizedTest(name = "rechunk {0}")
    @ValueSource(strings = {"recorded", "bytes", "random:7", "random:852:3"})
    void streamsTheRecordedAnswerAndGetsExactlyTheRecordedText(String rechunk) {
        try (MockServer server = MockServer.builder().speed(0).token(KEY).rechunk(Rechunk.parse(rechunk))
                .recordings(RECORDINGS).build().start()) {
            OpenAIClient client = client(server, KEY);
            try {
                for (String prompt : List.of("你好", "anything else")) {
                    Recording recording = prompt.equals("你好") ? RECORDINGS.get(0) : RECORDINGS.get(1);
                    OpenAiStreams.Answer expected = OpenAiStreams.read(recording.response().body());
                    List<ChatCompletionChunk> chunks;
                    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask(prompt))) {
                        chunks = stream.stream().collect(Collectors.toList());
                    }
                    List<String> deltas = chunks.stream().flatMap(c -> c.choices().stream())
                            .flatMap(c -> c.delta().content().stream()).filter(s -> !s.isEmpty())
                            .collect(Collectors.toList());
                    assertThat(String.join("", deltas)).as(recording.name()).isEqualTo(expected.text());
                    assertThat(deltas).containsExactlyElementsOf(expected.deltas());
                    assertThat(chunks.stream().flatMap(c -> c.choices().stream())
                            .flatMap(c -> c.finishReason().stream()).map(Object::toString)).containsExactly("stop");
                    assertThat(chunks.get(chunks.size() - 1).usage()).get()
                            .extracting(u -> u.totalTokens()).isEqualTo(expected.usage().get("total_tokens").asLong());
                }
            } finally {
                client.close();
            }
            assertThat(server.requests()).extracting(r -> r.matched().orElseThrow())
                    .containsExactly("demo-openai-zh", "demo-openai");
            assertThat(server.requests()).allSatisfy(r -> assertThat(r.stream()).isTrue());
        }
    }

    @Test
    void aWholeAnswerIsAChatCompletionItReads() {
        try (MockServer server = MockServer.builder().speed(0).recordings(RECORDINGS).build().start()) {
            OpenAIClient client = client(server, KEY);
            try {
                ChatCompletion completion = client.chat().completions().create(ask("你好"));
                assertThat(completion.choices().get(0).message().content())
                        .contains(OpenAiStreams.read(RECORDINGS.get(0).response().body()).text());
                assertThat(completion.usage()).isPresent();
            } finally {
                client.close();
            }
        }
    }

    @Test
    void aWrongKeyIsItsUnauthorizedExceptionWithTheMessage() {
        try (MockServer server = MockServer.builder().speed(0).token(KEY).recordings(RECORDINGS).build().start()) {
            OpenAIClient client = client(server, "sk-wrong");
            try {
                assertThatThrownBy(() -> client.chat().completions().create(ask("你好")))
                        .isInstanceOf(UnauthorizedException.class).hasMessageContaining("Incorrect API key provided");
            } finally {
                client.close();
            }
        }
    }
}
