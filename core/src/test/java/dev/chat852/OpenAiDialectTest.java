package dev.chat852;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.FakeTransport.FakeExchange;
import dev.chat852.wire.FramingException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAI-compatible dialect through the same call as the 852 one, over a hand-driven transport:
 * request encoding, the SSE stream, finish reason and usage, errors as a body and inside the stream.
 */
class OpenAiDialectTest {
    private static final String KEY = "sk-openai-unit-test-4b5c6d";
    private final FakeTransport transport = new FakeTransport();
    private final ChatClient client = ChatClient.builder()
            .dialect(Dialect.OPENAI)
            .transport(transport)
            .baseUrl("http://127.0.0.1:9")
            .token(KEY)
            .build();

    @AfterEach
    void close() {
        client.close();
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    private static String chunk(String content) {
        return "data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\""
                + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    @Test
    void theRequestGoesToTheChatCompletionsPathWithTheKeyAsBearerAndParamsAtTheTop() {
        client.stream(ChatRequest.builder().system("be brief").user("你好").param("temperature", 0.5)
                .param("stream_options", Map.of("include_usage", true)).build());
        FakeExchange e = transport.last();
        assertThat(e.request.uri()).hasToString("http://127.0.0.1:9/v1/chat/completions");
        assertThat(e.request.headers()).containsEntry("Authorization", "Bearer " + KEY)
                .containsEntry("Content-Type", "application/json").containsEntry("Accept", "text/event-stream");
        assertThat(json(e.body()).toString()).isEqualTo("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\","
                + "\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"你好\"}],\"stream\":true,\"temperature\":0.5,"
                + "\"stream_options\":{\"include_usage\":true}}");
        assertThat(e.body()).doesNotContain(KEY);

        client.completeAsync(ChatRequest.of("hi"));
        assertThat(json(transport.last().body()).get("stream").asBoolean()).isFalse();
        assertThat(transport.last().request.headers()).containsEntry("Accept", "application/json");
    }

    @Test
    void aBaseUrlEndingInV1IsNotDoubledAndTheDefaultServiceNeedsAKey() {
        try (ChatClient v1 = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                .baseUrl("http://127.0.0.1:9/v1/").token(KEY).build()) {
            assertThat(v1.endpoint()).hasToString("http://127.0.0.1:9/v1/chat/completions");
        }
        assertThatThrownBy(() -> ChatClient.builder().dialect(Dialect.OPENAI).transport(transport).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("https://api.openai.com");
        try (ChatClient local = ChatClient.builder().dialect(Dialect.OPENAI).transport(transport)
                .baseUrl("http://localhost:1").build()) {
            assertThat(local.endpoint()).hasToString("http://localhost:1/v1/chat/completions");
        }
    }

    @Test
    void aStreamGivesTextDeltasThenACompletionWithFinishReasonAndUsage() {
        ChatStream stream = client.stream(ChatRequest.of("hi"));
        String body = chunk("Hel") + chunk("lo, 世界") + "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":4,\"total_tokens\":9}}\n\n"
                + "data: [DONE]\n\n";
        FakeExchange e = transport.last().respond(200, "text/event-stream; charset=utf-8");
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 7) {
            e.read(java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 7)));
        }
        e.complete();

        List<ChatEvent> events = stream.events().collect(Collectors.toList());
        assertThat(events.stream().filter(ev -> ev instanceof ChatEvent.TextDelta)
                .map(ev -> ((ChatEvent.TextDelta) ev).text())).containsExactly("Hel", "lo, 世界");
        ChatCompletion done = ((ChatEvent.Completed) events.get(events.size() - 1)).completion();
        assertThat(done.text()).isEqualTo("Hello, 世界");
        assertThat(done.finishReason()).contains("stop");
        assertThat(done.usage()).get().satisfies(u -> {
            assertThat(u.promptTokens()).isEqualTo(5);
            assertThat(u.completionTokens()).isEqualTo(4);
            assertThat(u.totalTokens()).isEqualTo(9);
        });
        assertThat(done.headers()).isEmpty();
        assertThat(done.finished()).isTrue();
    }

    @Test
    void anErrorStatusWithAnOpenAiErrorBodyIsAnApiExceptionWithTypeAndCode() {
        ChatStream stream = client.stream(ChatRequest.of("hi"));
        transport.last().respond(401, "application/json").read("{\"error\":{\"message\":\"Incorrect API key provided\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":\"invalid_api_key\"}}").complete();

        assertThatThrownBy(() -> stream.completion().join()).cause().isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.httpStatus()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("Incorrect API key provided");
            assertThat(e.type()).contains("invalid_request_error");
            assertThat(e.errorCode()).contains("invalid_api_key");
            assertThat(e).hasMessage("the API answered with error invalid_api_key (invalid_request_error):"
                    + " Incorrect API key provided (HTTP 401)");
        });
    }

    @Test
    void anErrorStatusWithAnyOtherBodyIsAnHttpStatusException() {
        ChatStream stream = client.stream(ChatRequest.of("hi"));
        transport.last().respond(503, "text/html").read("<h1>busy</h1>").complete();
        assertThatThrownBy(() -> stream.completion().join()).cause().isInstanceOfSatisfying(HttpStatusException.class,
                e -> assertThat(e.bodyExcerpt()).isEqualTo("<h1>busy</h1>"));
    }

    @Test
    void anErrorEventMidStreamIsAnApiExceptionAfterTheTextBeforeItAndClosesTheConnection() {
        ChatStream stream = client.stream(ChatRequest.of("hi"));
        FakeExchange e = transport.last().respond(200, "text/event-stream");
        e.read(chunk("partial "));
        e.read("data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":null}}\n\n");

        assertThatThrownBy(() -> stream.text().forEach(t -> { })).isInstanceOfSatisfying(ApiException.class, ex -> {
            assertThat(ex.code()).isZero();
            assertThat(ex.httpStatus()).isEqualTo(200);
            assertThat(ex.type()).contains("server_error");
            assertThat(ex.errorCode()).isEmpty();
            assertThat(ex.serverMessage()).isEqualTo("The server had an error");
        });
        assertThat(stream.received().text()).isEqualTo("partial ");
        assertThat(stream.received().finished()).isFalse();
        assertThat(e.cancelled).isTrue();
    }

    @Test
    void anEventThatIsNotJsonIsAProtocolException() {
        ChatStream stream = client.stream(ChatRequest.of("hi"));
        transport.last().respond(200, "text/event-stream").read(chunk("ok") + "data: <html>\n\n").complete();
        assertThatThrownBy(() -> stream.completion().join()).cause().isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.framing()).get().extracting(FramingException::kind)
                        .isEqualTo(FramingException.Kind.INVALID_EVENT));
        assertThat(stream.received().text()).isEqualTo("ok");
    }

    @Test
    void aWholeAnswerIsTheChatCompletionObject() {
        var future = client.completeAsync(ChatRequest.of("hi"));
        String completion = "{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}";
        transport.last().respond(200, "application/json").read(completion).complete();
        ChatCompletion answer = future.join();
        assertThat(answer.text()).isEqualTo("Hi there");
        assertThat(answer.finishReason()).contains("length");
        assertThat(answer.usage()).get().extracting(ChatCompletion.Usage::totalTokens).isEqualTo(3L);
        assertThat(answer.raw()).get().extracting(r -> r.get("id").asText()).isEqualTo("chatcmpl-9");
    }

    @Test
    void aWholeAnswerThatIsAnErrorOrNotACompletionFailsTyped() {
        var error = client.completeAsync(ChatRequest.of("hi"));
        transport.last().respond(200, "application/json").read("{\"error\":{\"message\":\"quota\",\"code\":429}}").complete();
        assertThatThrownBy(error::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.errorCode()).contains("429"));

        var other = client.completeAsync(ChatRequest.of("hi"));
        transport.last().respond(200, "application/json").read("{\"code\":200,\"data\":{}}").complete();
        assertThatThrownBy(other::join).cause().isInstanceOf(ProtocolException.class)
                .hasMessageContaining("neither a chat.completion");
    }

    @Test
    void aBlockingCallThrowsACopyThatKeepsTheErrorsTypeAndCode() {
        Thread answer = new Thread(() -> {
            while (transport.exchanges.isEmpty()) {
                Thread.onSpinWait();
            }
            transport.last().respond(429, "application/json")
                    .read("{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}")
                    .complete();
        });
        answer.start();
        assertThatThrownBy(() -> client.complete(ChatRequest.of("hi"))).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.type()).contains("requests");
            assertThat(e.errorCode()).contains("rate_limit_exceeded");
            assertThat(e.getCause()).isInstanceOf(ApiException.class);
        });
    }

    @Test
    void theKeyAppearsInNoToStringOrMessage() {
        ChatStream stream = client.stream(ChatRequest.of("hi"));
        transport.last().respond(401, "application/json")
                .read("{\"error\":{\"message\":\"Incorrect API key provided: " + KEY.substring(0, 6) + "***\"}}").complete();
        Throwable failure = stream.completion().handle((ok, e) -> e).join();
        assertThat(List.of(client.toString(), stream.toString(), transport.last().request.toString(),
                String.valueOf(failure), String.valueOf(failure.getCause()))).noneMatch(s -> s.contains(KEY));
    }
}
