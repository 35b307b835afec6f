package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.mock.internal.Jsons;
import dev.chat852.protocol.ApiEnvelope;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API over HTTP, driven by {@link MockAdmin}, against what the same server says in-process. */
class AdminApiTest {
    private static final String TOKEN = "sk-admin-test-0123456789";
    private static final Recording HELLO = Recording.builder()
            .name("hello")
            .request(RecordedRequest.builder().model("gpt-4").message("user", "你好").build())
            .response(RecordedResponse.builder().chunk(0, "start852{}end852").chunk(5, "你好！").build())
            .build();
    private static final String HELLO_REQUEST = RawHttp.chat("gpt-4", TOKEN, true, "user", "你好");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MockServer server;
    private MockAdmin admin;

    @BeforeEach
    void start() {
        server = MockServer.builder().speed(0).recording(HELLO).build().start();
        admin = MockAdmin.of(server.baseUri());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String chat(String body) throws Exception {
        return RawHttp.post(server.baseUri(), body).text();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUri() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theHealthEndpointSaysUpAndCountsTheRecordings() throws Exception {
        HttpResponse<String> health = call("GET", "/__admin/health", null);

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
        assertThat(health.body()).isEqualTo("{\"status\":\"up\",\"recordings\":1}");
        assertThat(admin.isUp()).isTrue();
    }

    @Test
    void isUpIsFalseWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        assertThat(MockAdmin.of(URI.create("http://127.0.0.1:" + port)).isUp()).isFalse();
    }

    @Test
    void anAddedRecordingAnswersUntilReset() throws Exception {
        admin.add(HELLO.newBuilder().name("override").response(RecordedResponse.builder().chunk(0, "override").build()).build());

        String whileAdded = chat(HELLO_REQUEST);
        String stillAdded = chat(HELLO_REQUEST);
        admin.reset();

        assertThat(whileAdded).isEqualTo("override");
        assertThat(stillAdded).isEqualTo("override");
        assertThat(server.recordings()).extracting(Recording::name).containsExactly("hello");
        assertThat(chat(HELLO_REQUEST)).isEqualTo(HELLO.response().bodyText());
    }

    @Test
    void anEnqueuedRecordingAnswersOnce() throws Exception {
        admin.enqueue(Recording.of(RecordedResponse.apiError(500, "busy")));

        assertThat(chat(HELLO_REQUEST)).isEqualTo("{\"code\":500,\"message\":\"busy\",\"data\":null}");
        assertThat(chat(HELLO_REQUEST)).isEqualTo(HELLO.response().bodyText());
    }

    @Test
    void aRecordingWithItsFaultsAndBase64ChunksSurvivesTheTrip() throws Exception {
        Recording split = Recording.builder().name("split")
                .response(RecordedResponse.builder()
                        .chunk(Chunk.of(0, new byte[] {(byte) 0xE4, (byte) 0xBD}))
                        .chunk(Chunk.of(3, new byte[] {(byte) 0xA0}))
                        .fault(Fault.truncate(2))
                        .build())
                .build();

        admin.enqueue(split);

        assertThat(server.recordings().get(0)).isEqualTo(split);
    }

    @Test
    void receivedRequestsReadBackWithEveryFieldAndWithoutTheToken() throws Exception {
        http.send(HttpRequest.newBuilder(server.endpoint())
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(HELLO_REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
        chat(RawHttp.chat("gpt-4", null, false, "user", "unmatched"));
        HttpResponse<String> raw = call("GET", "/__admin/requests", null);

        List<ReceivedRequest> remote = admin.requests();

        List<ReceivedRequest> local = server.requests();
        assertThat(remote).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(remote.get(i)).usingRecursiveComparison().isEqualTo(local.get(i));
        }
        assertThat(remote.get(0).header("authorization")).hasValue("[redacted]");
        assertThat(remote.get(0).hasToken()).isTrue();
        assertThat(remote.get(1).matched()).isEmpty();
        assertThat(remote.get(1).stream()).isFalse();
        assertThat(raw.body()).doesNotContain(TOKEN);
    }

    @Test
    void adminCallsAreNotReceivedRequests() throws Exception {
        admin.isUp();
        admin.requests();
        call("GET", "/__admin/nothing", null);

        assertThat(server.requests()).isEmpty();
    }

    @Test
    void clearingRequestsKeepsTheAddedRecordings() throws Exception {
        admin.add(HELLO.newBuilder().name("override").response(RecordedResponse.builder().chunk(0, "override").build()).build());
        chat(HELLO_REQUEST);

        admin.clearRequests();

        assertThat(admin.requests()).isEmpty();
        assertThat(chat(HELLO_REQUEST)).isEqualTo("override");
        assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.matched()).hasValue("override"));
    }

    @Test
    void anInvalidRecordingIsRefusedNamingTheField() throws Exception {
        HttpResponse<String> response = call("POST", "/__admin/recordings",
                "{\"response\":{\"chunks\":[{\"delayMs\":0}]}}");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode body = Jsons.parseOrNull(response.body());
        assertThat(body.get("code").asInt()).isEqualTo(400);
        assertThat(body.get("message").asText()).contains("response.chunks[0]");
        assertThat(server.recordings()).containsExactly(HELLO);
    }

    @Test
    void aRefusedCallThrowsWithTheServersMessage() {
        server.close();
        MockServer strict = MockServer.builder().maxRequestBytes(64).build().start();
        try {
            MockAdmin small = MockAdmin.of(strict.baseUri());

            assertThatThrownBy(() -> small.add(HELLO))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("chat852 mock admin: POST /__admin/recordings answered HTTP 413");
        } finally {
            strict.close();
        }
    }

    @Test
    void anUnreachableServerIsAnUncheckedIoException() {
        URI base = server.baseUri();
        server.close();

        assertThatThrownBy(() -> MockAdmin.of(base).reset()).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("POST " + base + "/__admin/reset");
    }

    @Test
    void unknownAdminPathsAndMethodsGetClearErrors() throws Exception {
        HttpResponse<String> unknown = call("GET", "/__admin/mappings", null);
        HttpResponse<String> wrongMethod = call("PUT", "/__admin/requests", "{}");
        HttpResponse<String> getReset = call("GET", "/__admin/reset", null);

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no admin path /__admin/mappings", "/__admin/health", "/__admin/recordings");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET, DELETE");
        assertThat(getReset.statusCode()).isEqualTo(405);
        assertThat(getReset.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void commandsAnswerInTheUpstreamsEnvelope() throws Exception {
        chat(HELLO_REQUEST);

        HttpResponse<String> cleared = call("DELETE", "/__admin/requests", null);
        HttpResponse<String> added = call("POST", "/__admin/recordings", HELLO.toJson());
        HttpResponse<String> reset = call("POST", "/__admin/reset", null);

        for (HttpResponse<String> r : List.of(cleared, added, reset)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(ApiEnvelope.parse(r.body())).hasValueSatisfying(e -> {
                assertThat(e.code()).isEqualTo(200);
                assertThat(e.message()).isNotNull();
                assertThat(e.data().isNull()).isTrue();
            });
            assertThat(r.body()).contains("\"data\":null");
        }
        assertThat(cleared.body()).contains("cleared 1 received request(s)");
        assertThat(added.body()).contains("added recording hello");
    }
}
