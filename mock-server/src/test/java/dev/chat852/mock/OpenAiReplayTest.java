package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.ChatMessage;
import dev.chat852.Dialect;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.testkit.OpenAiStreams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mock's OpenAI-compatible endpoint at the HTTP level: replay, matching by dialect, errors in OpenAI's form. */
class OpenAiReplayTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String KEY = "sk-openai-replay-test-7a8b9c";
    private static final List<Recording> OPENAI = Recording.demo(Dialect.OPENAI);

    private MockServer server;

    @AfterEach
    void close() {
        if (server != null) {
            server.close();
        }
    }

    private MockServer start(MockServer.Builder b) {
        server = b.build().start();
        return server;
    }

    private static String request(String model, boolean stream, String... roleContent) {
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < roleContent.length; i += 2) {
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"").append(roleContent[i]).append("\",\"content\":\"")
                    .append(roleContent[i + 1]).append("\"}");
        }
        return "{\"model\":\"" + model + "\",\"messages\":[" + messages + "],\"stream\":" + stream + "}";
    }

    private RawHttp.Response post(String body, String key) throws Exception {
        try (RawHttp http = new RawHttp(server.baseUri())) {
            return http.send("POST", OpenAiApi.PATH, key == null ? Map.of("Content-Type", "application/json")
                    : Map.of("Content-Type", "application/json", "Authorization", "Bearer " + key), body);
        }
    }

    private static JsonNode json(RawHttp.Response response) throws Exception {
        return MAPPER.readTree(response.text());
    }

    @Test
    void replaysARecordedEventStreamByteForByteWithItsChunkBoundaries() throws Exception {
        start(MockServer.builder().speed(0).recordings(OPENAI));
        Recording zh = OPENAI.get(0);

        RawHttp.Response response = post(request("gpt-4o-mini", true, "user", "你好"), KEY);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.headers).containsEntry("content-type", "text/event-stream; charset=utf-8")
                .containsEntry("transfer-encoding", "chunked");
        assertThat(response.chunks).hasSameSizeAs(zh.response().chunks());
        for (int i = 0; i < response.chunks.size(); i++) {
            assertThat(response.chunks.get(i)).as("chunk %d", i).isEqualTo(zh.response().chunks().get(i).bytes());
        }
        assertThat(response.complete).isTrue();
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo(OpenAiApi.PATH);
            assertThat(r.matched()).hasValue("demo-openai-zh");
            assertThat(r.messages()).containsExactly(ChatMessage.user("你好"));
            assertThat(r.stream()).isTrue();
            assertThat(r.hasToken()).isTrue();
            assertThat(r.headers().get("authorization")).containsExactly("[redacted]");
            assertThat(r.toString() + r.json() + r.headers()).doesNotContain(KEY);
        });
    }

    @Test
    void eachDialectIsAnsweredOnlyByItsOwnRecordings() throws Exception {
        start(MockServer.builder().speed(0).recordings(Recording.demo()).recordings(OPENAI));

        RawHttp.Response openAi = post(request("gpt-4o-mini", true, "user", "anything"), KEY);
        RawHttp.Response chat852 = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "t", true, "user", "anything"));

        assertThat(openAi.text()).startsWith("data: {").endsWith("data: [DONE]\n\n");
        assertThat(chat852.text()).startsWith("start852{").endsWith("undefined");
        assertThat(server.requests()).extracting(r -> r.matched().orElseThrow()).containsExactly("demo-openai", "demo-en");
    }

    @Test
    void anUnmatchedRequestGetsA404InOpenAisFormNamingTheRecordings() throws Exception {
        start(MockServer.builder().speed(0).recording(OPENAI.get(0)).recordings(Recording.demo()));

        RawHttp.Response response = post(request("gpt-4o", true, "user", "not recorded"), KEY);

        assertThat(response.status).isEqualTo(404);
        JsonNode error = json(response).get("error");
        assertThat(error.get("message").asText()).contains("no recording of the openai dialect", "model=gpt-4o",
                "not recorded", "recordings: demo-openai-zh").doesNotContain("demo-en");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    }

    @Test
    void aWrongOrMissingKeyGets401InvalidApiKey() throws Exception {
        start(MockServer.builder().speed(0).token(KEY).recordings(OPENAI));

        RawHttp.Response wrong = post(request("m", true, "user", "你好"), "sk-wrong");
        RawHttp.Response missing = post(request("m", true, "user", "你好"), null);
        RawHttp.Response right = post(request("m", true, "user", "你好"), KEY);

        for (RawHttp.Response r : List.of(wrong, missing)) {
            assertThat(r.status).isEqualTo(401);
            assertThat(json(r).at("/error/code").asText()).isEqualTo("invalid_api_key");
        }
        assertThat(right.status).isEqualTo(200);
        assertThat(server.requests()).extracting(ReceivedRequest::hasToken).containsExactly(true, false, true);
    }

    @Test
    void aBodyThatIsNotARequestGets400AndOtherMethods405() throws Exception {
        start(MockServer.builder().speed(0).recordings(OPENAI));

        RawHttp.Response bad = post("[1,2]", KEY);
        RawHttp.Response get;
        try (RawHttp http = new RawHttp(server.baseUri())) {
            get = http.send("GET", OpenAiApi.PATH, Map.of(), null);
        }

        assertThat(bad.status).isEqualTo(400);
        assertThat(json(bad).at("/error/message").asText()).contains("not a JSON object");
        assertThat(get.status).isEqualTo(405);
        assertThat(get.headers).containsEntry("allow", "POST, OPTIONS");
    }

    @Test
    void aWholeAnswerIsAChatCompletionBuiltFromTheRecordedStream() throws Exception {
        start(MockServer.builder().speed(0).recordings(OPENAI));
        OpenAiStreams.Answer recorded = OpenAiStreams.read(OPENAI.get(0).response().body());

        RawHttp.Response response = post(request("gpt-4o-mini", false, "user", "你好"), KEY);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.headers).containsKey("content-length").containsEntry("content-type", "application/json; charset=utf-8");
        JsonNode completion = json(response);
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo(recorded.text());
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo(recorded.finishReason());
        assertThat(completion.get("usage")).isEqualTo(recorded.usage());
    }

    @Test
    void aStatusFaultAnswersWithAnOpenAiErrorBody() throws Exception {
        start(MockServer.builder().speed(0).recordings(OPENAI).fault(Fault.parse("status:503")));

        RawHttp.Response response = post(request("m", true, "user", "你好"), KEY);

        assertThat(response.status).isEqualTo(503);
        assertThat(json(response).at("/error/message").asText()).isEqualTo("chat852 mock: fault status 503");
        assertThat(json(response).at("/error/type").asText()).isEqualTo("server_error");
    }

    @Test
    void aTruncateFaultCutsTheStreamMidEvent() throws Exception {
        start(MockServer.builder().speed(0).recordings(OPENAI).fault(Fault.truncate(100)));

        RawHttp.Response response = post(request("m", true, "user", "你好"), KEY);

        assertThat(response.body()).hasSize(100)
                .isEqualTo(java.util.Arrays.copyOf(OPENAI.get(0).response().body(), 100));
        assertThat(response.complete).isFalse();
    }

    @Test
    void theDialectIsAFieldOfTheRecordingFileAndRoundTrips() {
        Recording recording = Recording.builder().name("sse").dialect(Dialect.OPENAI)
                .response(RecordedResponse.builder().chunk(0, "data: [DONE]\n\n").build()).build();
        String json = recording.toJson();

        assertThat(json).contains("\"dialect\": \"openai\"");
        assertThat(Recording.parse(json, "x")).isEqualTo(recording);
        assertThat(Recording.parse("{\"response\":{}}", "x").dialect()).isEqualTo(Dialect.CHAT852);
        assertThat(Recording.demo().get(0).toJson()).doesNotContain("dialect");
        assertThatThrownBy(() -> Recording.parse("{\"dialect\": \"sse\", \"response\": {}}", "bad"))
                .hasMessageContaining("recording bad, line 1").hasMessageContaining("dialect must be \"852\" or \"openai\", was \"sse\"");
        assertThatThrownBy(() -> Recording.parse("{\"dialect\": 1, \"response\": {}}", "bad"))
                .hasMessageContaining("dialect must be a string");
    }

    @Test
    void theOpenAiDemoRecordingsAreInTheFormRecordingsAreWrittenIn() throws Exception {
        for (Recording r : OPENAI) {
            try (var in = getClass().getResourceAsStream("/dev/chat852/mock/demo/" + r.name() + ".json")) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(r.name()).isEqualTo(r.toJson());
            }
            OpenAiStreams.Answer answer = OpenAiStreams.read(r.response().body());
            assertThat(answer.finishReason()).isEqualTo("stop");
            assertThat(answer.usage()).isNotNull();
            assertThat(answer.deltas()).hasSizeGreaterThan(10);
            assertThat(r.response().chunks()).as("cut mid-event somewhere")
                    .anyMatch(c -> !new String(c.bytes(), StandardCharsets.UTF_8).endsWith("\n\n"));
        }
        assertThat(OPENAI).extracting(Recording::name).containsExactly("demo-openai-zh", "demo-openai");
        assertThat(OPENAI.get(0).request().matches("any", List.of(ChatMessage.user("你好")))).isTrue();
        assertThat(OPENAI.get(1).request().isAny()).isTrue();
    }
}
