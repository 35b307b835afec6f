package dev.chat852.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TestServerAdapterTest {
    private static final String TOKEN = "sk-adapter-token";
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestServerAdapter server;

    TestServerAdapterTest() throws Exception {
        server = new TestServerAdapter(TOKEN);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private HttpResponse<String> post(String token, String userMessage) throws Exception {
        String body = "{\"model\":\"m\"," + (token == null ? "" : "\"token\":\"" + token + "\",")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + userMessage + "\"}],\"params\":{\"n\":1}}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/light/chat/createChatCompletion"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    @Test
    void answersAWrongOrMissingTokenLikeTheApiAndCountsItUnmatched() throws Exception {
        server.enqueue(KitResponse.stream("start852{}end852答案", 4));

        HttpResponse<String> wrong = post("sk-wrong", "你好");
        HttpResponse<String> missing = post(null, "你好");
        HttpResponse<String> right = post(TOKEN, "你好");

        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).isEqualTo(TestServerAdapter.BAD_TOKEN_JSON);
        assertThat(missing.body()).isEqualTo(TestServerAdapter.BAD_TOKEN_JSON);
        assertThat(right.body()).isEqualTo("start852{}end852答案"); // the queued answer waited for the right token
        assertThat(server.unmatchedRequests()).hasSize(2);
        assertThat(server.requests()).extracting(r -> r.token().orElse("none"))
                .containsExactly("sk-wrong", "none", TOKEN);
    }

    @Test
    void showsTheBodyWithoutItsTokenAndTheTokenApart() throws Exception {
        server.enqueue(KitResponse.stream("x", 1));

        post(TOKEN, "你好");

        KitServer.KitRequest request = server.takeRequest(Duration.ofSeconds(5));
        assertThat(request.json().has("token")).isFalse();
        assertThat(request.json().path("messages").path(0).path("content").asText()).isEqualTo("你好");
        assertThat(request.token()).hasValue(TOKEN);
        assertThat(request.toString()).doesNotContain(TOKEN);
        assertThat(server.retainedTexts()).noneMatch(t -> t.contains(TOKEN));
    }

    @Test
    void answersFromTheQueueFirstThenByTheUserMessageThenOtherwise() throws Exception {
        server.enqueue(KitResponse.stream("queued", 3));
        server.route(Map.of("a", KitResponse.stream("routed a", 3)), KitResponse.text(200, "otherwise"));

        assertThat(post(TOKEN, "a").body()).isEqualTo("queued");
        assertThat(post(TOKEN, "a").body()).isEqualTo("routed a");
        assertThat(post(TOKEN, "a").body()).isEqualTo("routed a");
        assertThat(post(TOKEN, "b").body()).isEqualTo("otherwise");
        assertThat(server.unmatchedRequests()).isEmpty();
    }

    @Test
    void listsARequestNothingAnswersAsUnmatched() throws Exception {
        server.route(Map.of("a", KitResponse.stream("routed a", 3)), null);

        HttpResponse<String> response = post(TOKEN, "b");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(server.unmatchedRequests()).singleElement()
                .satisfies(r -> assertThat(r.json().path("messages").path(0).path("content").asText()).isEqualTo("b"));
    }

    @Test
    void hasEveryCapability() {
        for (KitServer.Capability c : KitServer.Capability.values()) {
            assertThat(server.has(c)).as("%s", c).isTrue();
        }
        assertThat(server.ownsThread("testserver-1234-conn-1")).isTrue();
        assertThat(server.ownsThread("chat852-jdk-1")).isFalse();
    }
}
