package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ChatMessage;
import dev.chat852.mock.internal.Jsons;
import dev.chat852.protocol.ChatApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the endpoint answers besides replays: matching, errors, CORS, the non-stream form, the request log. */
class EndpointTest {
    private static final String TOKEN = "sk-endpoint-test-0123456789";
    private static final Recording HELLO = Recording.builder()
            .name("hello")
            .request(RecordedRequest.builder().model("gpt-4").message("user", "你好").build())
            .response(RecordedResponse.builder()
                    .chunk(0, "start852{\"numOfOneDayCanCallApi\":100,\"apiDate\":\"2026-11-25\"}end852")
                    .chunk(40, "你好")
                    .chunk(40, "！")
                    .chunk(10, "undefined")
                    .build())
            .build();

    private MockServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        server = MockServer.builder().speed(0).recording(HELLO).build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(server.endpoint())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void matchesOnModelAndMessages() throws Exception {
        HttpResponse<String> response = post(RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(HELLO.response().bodyText());
    }

    @Test
    void anUnmatchedRequestGets404SayingWhatWasAskedAndWhatExists() throws Exception {
        HttpResponse<String> response = post(RawHttp.chat("gpt-3.5-turbo-1106", TOKEN, true, "user", "你好"));

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = Jsons.parseOrNull(response.body());
        assertThat(body.get("code").asInt()).isEqualTo(404);
        assertThat(body.at("/request/model").asText()).isEqualTo("gpt-3.5-turbo-1106");
        assertThat(body.at("/request/messages/0/content").asText()).isEqualTo("你好");
        assertThat(body.at("/recordings/0/name").asText()).isEqualTo("hello");
        assertThat(body.at("/recordings/0/request/model").asText()).isEqualTo("gpt-4");
        assertThat(response.body()).doesNotContain(TOKEN);
    }

    @Test
    void nonStreamRequestsGetTheDocumentedWrapperBuiltFromTheRecording() throws Exception {
        HttpResponse<String> response = post(RawHttp.chat("gpt-4", TOKEN, false, "user", "你好"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = Jsons.parseOrNull(response.body());
        assertThat(body.get("code").asInt()).isEqualTo(200);
        assertThat(body.get("message").asText()).isEqualTo("成功");
        JsonNode completion = body.at("/data/completion");
        assertThat(completion.get("object").asText()).isEqualTo("chat.completion");
        assertThat(completion.get("model").asText()).isEqualTo("gpt-4");
        assertThat(completion.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo("你好！");
        assertThat(completion.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
        assertThat(completion.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        assertThat(body.at("/data/info/numOfOneDayCanCallApi").asInt()).isEqualTo(100);
    }

    @Test
    void withATokenConfiguredAWrongTokenGetsTheUpstreamStyleErrorOnHttp200() throws Exception {
        server.close();
        server = MockServer.builder().speed(0).token(TOKEN).recording(HELLO).build().start();

        HttpResponse<String> wrong = post(RawHttp.chat("gpt-4", "sk-wrong", true, "user", "你好"));
        HttpResponse<String> missing = post(RawHttp.chat("gpt-4", null, true, "user", "你好"));
        HttpResponse<String> right = post(RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).isEqualTo("{\"code\":401,\"message\":\"token无效\",\"data\":null}");
        assertThat(missing.body()).isEqualTo(wrong.body());
        assertThat(right.body()).isEqualTo(HELLO.response().bodyText());
        assertThat(server.toString()).doesNotContain(TOKEN);
    }

    @Test
    void answersCorsPreflightsAndAllowsAnyOrigin() throws Exception {
        HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(server.endpoint())
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,accept")
                .build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> post = post(RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("access-control-allow-methods")).hasValueSatisfying(m -> assertThat(m).contains("POST"));
        assertThat(preflight.headers().firstValue("access-control-allow-headers")).hasValue("content-type,accept");
        assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue("*");
        assertThat(server.requests()).as("preflights are not chat requests").hasSize(1);
    }

    @Test
    void keepsReceivedRequestsWithoutTheToken() throws Exception {
        http.send(HttpRequest.newBuilder(server.endpoint())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(RawHttp.chat("gpt-4", TOKEN, true, "user", "你好")))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo(ChatApi.PATH);
            assertThat(r.model()).isEqualTo("gpt-4");
            assertThat(r.messages()).containsExactly(new ChatMessage("user", "你好"));
            assertThat(r.stream()).isTrue();
            assertThat(r.hasToken()).isTrue();
            assertThat(r.matched()).hasValue("hello");
            assertThat(r.json().has("token")).isFalse();
            assertThat(r.json().at("/params/n").asInt()).isEqualTo(1);
            assertThat(r.header("Authorization")).hasValue("[redacted]");
            assertThat(r.toString() + r.json() + r.headers()).doesNotContain(TOKEN);
        });
    }

    @Test
    void oneShotRecordingsAnswerOnceBeforeAllOthers() throws Exception {
        server.enqueue(Recording.of(RecordedResponse.apiError(500, "busy")));
        String request = RawHttp.chat("gpt-4", TOKEN, true, "user", "你好");

        HttpResponse<String> first = post(request);
        HttpResponse<String> second = post(request);

        assertThat(first.body()).isEqualTo("{\"code\":500,\"message\":\"busy\",\"data\":null}");
        assertThat(second.body()).isEqualTo(HELLO.response().bodyText());
    }

    @Test
    void addedRecordingsWinOverEarlierOnesUntilReset() throws Exception {
        server.add(HELLO.newBuilder().name("override").response(RecordedResponse.builder().chunk(0, "override").build()).build());
        String request = RawHttp.chat("gpt-4", TOKEN, true, "user", "你好");

        assertThat(post(request).body()).isEqualTo("override");
        server.reset();
        assertThat(post(request).body()).isEqualTo(HELLO.response().bodyText());
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void otherPathsAndMethodsGetClearErrors() throws Exception {
        HttpResponse<String> otherPath = http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + "/v1/chat"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(server.endpoint()).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> notJson = post("not json");

        assertThat(otherPath.statusCode()).isEqualTo(404);
        assertThat(otherPath.body()).contains(ChatApi.PATH);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(Jsons.parseOrNull(notJson.body()).get("message").asText()).contains("not a JSON object");
    }

    @Test
    void rejectsRequestBodiesOverTheLimit() throws Exception {
        server.close();
        server = MockServer.builder().maxRequestBytes(1_000).recording(HELLO).build().start();

        RawHttp.Response response;
        try (RawHttp raw = new RawHttp(server.baseUri())) {
            response = raw.send("POST", ChatApi.PATH, Map.of("Content-Type", "application/json"),
                    RawHttp.chat("gpt-4", null, true, "user", "x".repeat(2_000)));
        }
        assertThat(response.status).isEqualTo(413);
    }
}
