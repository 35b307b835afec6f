package dev.chat852.mock.kit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.Fault;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.testkit.KitResponse;
import dev.chat852.testkit.KitServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** How the kit's scripts become recordings with faults, and what the adapter shows of the mock. */
class MockKitServerTest {
    private static final String TOKEN = "sk-mock-kit-token";
    private final MockKitServer server = new MockKitServer(TOKEN);
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        server.close();
    }

    private static List<Long> delays(RecordedResponse r) {
        return r.chunks().stream().map(Chunk::delayMs).toList();
    }

    @Test
    void pausesBecomeTheDelaysOfTheChunksAfterThem() {
        RecordedResponse r = server.toRecordedResponse(KitResponse.builder().delayBeforeStatus(Duration.ofMillis(700))
                .chunk("a").pause(Duration.ofMillis(30)).pause(Duration.ofMillis(20)).chunk("bc").chunk("d").build());

        assertThat(r.headersDelayMs()).isEqualTo(700);
        assertThat(r.bodyText()).isEqualTo("abcd");
        assertThat(delays(r)).containsExactly(0L, 50L, 0L);
        assertThat(r.faults()).isEmpty();
        assertThat(r.contentType()).isEqualTo("text/event-stream; charset=utf-8");
    }

    @Test
    void stallsResetsAndClosesBecomeFaultsAtTheBytesWrittenBefore() {
        RecordedResponse stall = server.toRecordedResponse(KitResponse.builder().chunk("12345").stallForever()
                .chunk("never").build());
        RecordedResponse reset = server.toRecordedResponse(KitResponse.builder().chunk("123").pause(Duration.ofMillis(40))
                .reset().build());
        RecordedResponse close = server.toRecordedResponse(KitResponse.builder().chunk("1234").closeConnection().build());
        RecordedResponse silent = server.toRecordedResponse(KitResponse.builder().stallBeforeStatus().build());

        assertThat(stall.bodyText()).isEqualTo("12345");
        assertThat(stall.faults()).containsExactly(Fault.stall(5, MockKitServer.FOREVER_MS));
        assertThat(reset.faults()).containsExactly(Fault.stall(3, 40), Fault.reset(3));
        assertThat(close.faults()).containsExactly(Fault.truncate(4));
        assertThat(silent.faults()).containsExactly(Fault.delay(MockKitServer.FOREVER_MS));
    }

    @Test
    void anEndlessBodyWithPausesLastsLongerThanAnyTestAndAFinalPauseHoldsTheEnd() {
        RecordedResponse endless = server.toRecordedResponse(KitResponse.builder().chunk("h")
                .repeat("滴".getBytes(UTF_8), Long.MAX_VALUE, Duration.ofMillis(10)).build());
        RecordedResponse finite = server.toRecordedResponse(KitResponse.builder()
                .repeat("ab".getBytes(UTF_8), 3, Duration.ofMillis(5)).build());

        assertThat(endless.durationMs()).isGreaterThanOrEqualTo(MockKitServer.ENDLESS.toMillis() - 10);
        assertThat(finite.bodyText()).isEqualTo("ababab");
        assertThat(delays(finite)).containsExactly(0L, 5L, 5L);
        assertThat(finite.faults()).containsExactly(Fault.stall(6, 5));
    }

    @Test
    void aScriptNeedingWhatTheMockCannotDoIsSkippedNamingTheCapability() {
        List<KitResponse> scripts = List.of(
                KitResponse.builder().framing(KitResponse.Framing.CONTENT_LENGTH).chunk("x").build(),
                KitResponse.builder().framing(KitResponse.Framing.CLOSE).chunk("x").build(),
                KitResponse.builder().byteByByte(Duration.ZERO).chunk("x").build(),
                KitResponse.builder().chunk("x").awaitGate(new KitResponse.Gate()).build(),
                KitResponse.builder().sendBufferSize(1024).chunk("x").build(),
                KitResponse.builder().repeat(new byte[] {1}, Long.MAX_VALUE, Duration.ZERO).build());
        List<KitServer.Capability> missing = List.of(KitServer.Capability.CONTENT_LENGTH_FRAMING,
                KitServer.Capability.CLOSE_DELIMITED_FRAMING, KitServer.Capability.WIRE_BYTE_BY_BYTE,
                KitServer.Capability.GATES, KitServer.Capability.SEND_BUFFER_SIZE,
                KitServer.Capability.ENDLESS_FIREHOSE);

        for (int i = 0; i < scripts.size(); i++) {
            KitResponse script = scripts.get(i);
            Throwable skipped = catchThrowable(() -> server.enqueue(script));
            assertThat(skipped).as("%s", script).isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining("MockServer lacks " + missing.get(i));
        }
        assertThat(catchThrowable(server::exchanges)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("WRITE_PROGRESS");
        assertThat(server.capabilities()).containsExactly(KitServer.Capability.CLIENT_CLOSE_PROBE);
    }

    @Test
    void theJsonShortcutNeedsNoContentLengthOnTheMock() {
        RecordedResponse r = server.toRecordedResponse(KitResponse.json(500, "{\"code\":500,\"message\":\"x\"}"));

        assertThat(r.status()).isEqualTo(500);
        assertThat(r.isJson()).isTrue();
        assertThat(r.bodyText()).isEqualTo("{\"code\":500,\"message\":\"x\"}");
    }

    private HttpResponse<String> post(String token, String userMessage) throws Exception {
        String body = "{\"model\":\"m\",\"token\":\"" + token + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + userMessage + "\"}]}";
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                        + "/api/light/chat/createChatCompletion"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body, UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    @Test
    void routesByUserMessageAfterTheQueueAndChecksTheTokenWithoutKeepingIt() throws Exception {
        server.enqueue(KitResponse.stream("queued", 2));
        server.route(Map.of("a", KitResponse.stream("routed", 2)), KitResponse.stream("otherwise", 2));

        assertThat(post("sk-wrong", "a").body()).isEqualTo("{\"code\":401,\"message\":\"token无效\",\"data\":null}");
        assertThat(post(TOKEN, "a").body()).isEqualTo("queued");
        assertThat(post(TOKEN, "a").body()).isEqualTo("routed");
        assertThat(post(TOKEN, "b").body()).isEqualTo("otherwise");

        assertThat(server.takeRequest(Duration.ofSeconds(5)).token()).hasValueSatisfying(t -> assertThat(t).isNotEqualTo(TOKEN));
        assertThat(server.takeRequest(Duration.ofSeconds(5)).token()).hasValue(TOKEN);
        assertThat(server.unmatchedRequests()).hasSize(1);
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.json().has("token")).isFalse());
        assertThat(server.retainedTexts()).isNotEmpty().noneMatch(t -> t.contains(TOKEN) || t.contains("sk-wrong"));
    }
}
