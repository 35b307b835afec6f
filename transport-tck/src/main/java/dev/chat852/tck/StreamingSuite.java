package dev.chat852.tck;

import static dev.chat852.tck.Tck.BODY;
import static dev.chat852.tck.Tck.BODY_BYTES;
import static dev.chat852.tck.Tck.HEADER_BLOCK;
import static dev.chat852.tck.Tck.HEADER_JSON;
import static dev.chat852.tck.Tck.TEXT;
import static dev.chat852.tck.Tck.assertQuotaHeader;
import static dev.chat852.tck.Tck.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.Models;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.ReceivedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.protocol.ChatApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Framing and bytes: the streamed answer exact in every chunking and framing, through each of the four
 * ways to consume it; the non-stream answer; what the request carries.
 */
abstract class StreamingSuite extends TckCase {

    StreamingSuite(TransportTck tck) {
        super(tck);
    }

    // ==== the streamed answer, in every chunking and framing ==========================================

    @ParameterizedTest(name = "{0}-byte chunks")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void streamedAnswerIsExactWhateverTheChunkSize(int chunkSize) throws Exception {
        enqueue(Tck.stream(BODY_BYTES, chunkSize, 1));

        ChatCompletion completion = await(client.stream(ChatRequest.of("你好")).completion());

        assertThat(completion.text()).isEqualTo(TEXT);
        assertThat(completion.headers()).hasSize(1);
        assertQuotaHeader(completion.header().orElseThrow());
        assertThat(completion.finished()).isTrue();
        assertThat(completion.bytesReceived()).isEqualTo(BODY_BYTES.length);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MockResponse.Framing.class)
    void streamedAnswerIsExactWhenEveryByteOnTheWireIsFlushedAlone(MockResponse.Framing framing) throws Exception {
        // A short pause before each byte, so the client's reads mostly see one byte at a time.
        enqueue(MockResponse.builder(Tck.stream(BODY_BYTES, 5, 0)).framing(framing)
                .byteByByte(Duration.ofNanos(200_000)).build());

        ChatCompletion completion = await(client.stream(ChatRequest.of("你好")).completion());

        assertThat(completion.text()).isEqualTo(TEXT);
        assertQuotaHeader(completion.header().orElseThrow());
        assertThat(completion.bytesReceived()).isEqualTo(BODY_BYTES.length);
    }

    @Test
    void largeStreamedAnswerArrivesWholeAndInOrder() throws Exception {
        String pattern = "汉字ab🙂。"; // 15 bytes: 16 KiB writes split characters
        StringBuilder unitText = new StringBuilder();
        while (unitText.toString().getBytes(UTF_8).length < 16 * 1024) {
            unitText.append(pattern).append(unitText.length() % 97 == 0 ? "\n" : "");
        }
        byte[] unit = Arrays.copyOf(unitText.toString().getBytes(UTF_8), 16 * 1024);
        int units = 256; // 4 MiB
        byte[] body = new byte[units * unit.length];
        for (int i = 0; i < units; i++) {
            System.arraycopy(unit, 0, body, i * unit.length, unit.length);
        }
        String expected = new String(body, UTF_8);
        enqueue(Tck.repeat(RecordedResponse.builder().chunk(0, HEADER_BLOCK), unit, units, 0, 0)
                .chunk(0, "undefined").build());
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        ChatCompletion completion = listener.awaitCompletion();

        assertThat(completion.bytesReceived()).isEqualTo(HEADER_BLOCK.getBytes(UTF_8).length + body.length + 9);
        assertThat(completion.text().length()).isEqualTo(expected.length());
        assertThat(completion.text().equals(expected)).as("the 4 MiB answer equals what was sent").isTrue();
        assertThat(listener.overlaps()).as("listener calls that overlapped").isZero();
    }

    // ==== the four ways to consume a stream ===========================================================

    @Test
    void listenerGetsTheHeaderThenTheTextInOrderThenCompleteWithTheWholeText() throws Exception {
        enqueue(Tck.stream(BODY_BYTES, 6, 1));
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        ChatCompletion completion = listener.awaitCompletion();

        List<String> calls = listener.calls();
        assertThat(calls.get(0)).isEqualTo("header:" + HEADER_JSON);
        assertThat(calls.get(calls.size() - 1)).isEqualTo("complete:" + TEXT);
        assertThat(calls.subList(1, calls.size() - 1)).isNotEmpty().allMatch(c -> c.startsWith("text:"));
        assertThat(listener.text()).isEqualTo(TEXT);
        assertThat(listener.overlaps()).as("listener calls that overlapped").isZero();
        assertThat(completion.text()).isEqualTo(TEXT);
        assertQuotaHeader(completion.header().orElseThrow());
    }

    @Test
    void flowSubscriberRequestingOneAtATimeNeverGetsMoreThanItRequested() throws Exception {
        enqueue(Tck.stream(BODY_BYTES, 6, 1));
        ScheduledExecutorService requester = Executors.newSingleThreadScheduledExecutor(Tck.daemon("kit-requester"));
        try {
            OneAtATime subscriber = new OneAtATime(requester);

            client.stream(ChatRequest.of("你好")).subscribe(subscriber);
            subscriber.done.get(Tck.WAIT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(subscriber.violations).isEmpty();
            List<ChatEvent> events = subscriber.events;
            assertThat(events.get(0)).isInstanceOfSatisfying(ChatEvent.HeaderReceived.class,
                    h -> assertQuotaHeader(h.header()));
            assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Completed.class,
                    c -> assertThat(c.completion().text()).isEqualTo(TEXT));
            assertThat(textOf(events)).isEqualTo(TEXT);
            assertThat(subscriber.received.get()).isLessThanOrEqualTo(subscriber.requested.get());
        } finally {
            requester.shutdownNow();
        }
    }

    @Test
    void blockingTextStreamYieldsTheWholeAnswerInTryWithResources() {
        enqueue(Tck.stream(BODY_BYTES, 6, 1));

        String answer;
        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<String> text = stream.text()) {
            answer = text.collect(Collectors.joining());
        }

        assertThat(answer).isEqualTo(TEXT);
    }

    @Test
    void blockingEventStreamGivesTheHeaderThenTextThenCompleted() {
        enqueue(Tck.stream(BODY_BYTES, 6, 1));

        List<ChatEvent> events;
        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<ChatEvent> s = stream.events()) {
            events = s.collect(Collectors.toList());
        }

        assertThat(events.get(0)).isInstanceOfSatisfying(ChatEvent.HeaderReceived.class,
                h -> assertQuotaHeader(h.header()));
        assertThat(events.subList(1, events.size() - 1)).isNotEmpty().allMatch(e -> e instanceof ChatEvent.TextDelta);
        assertThat(events.get(events.size() - 1)).isInstanceOfSatisfying(ChatEvent.Completed.class,
                c -> assertThat(c.completion().text()).isEqualTo(TEXT));
        assertThat(textOf(events)).isEqualTo(TEXT);
    }

    @Test
    void completionFutureHoldsTheTextTheHeaderAndTheTimings() throws Exception {
        enqueue(Tck.stream(BODY_BYTES, 16, 1));

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        ChatCompletion completion = await(stream.completion());

        assertThat(completion.model()).isEqualTo(Models.GPT_3_5_TURBO_1106);
        assertThat(completion.text()).isEqualTo(TEXT);
        assertQuotaHeader(completion.header().orElseThrow());
        assertThat(completion.finished()).isTrue();
        assertThat(completion.raw()).isEmpty();
        Duration firstByte = completion.timeToFirstByte().orElseThrow();
        Duration firstText = completion.timeToFirstText().orElseThrow();
        assertThat(firstByte).isPositive();
        assertThat(firstText).isGreaterThanOrEqualTo(firstByte);
        assertThat(completion.duration()).isGreaterThanOrEqualTo(firstText);
        assertThat(completion.bytesReceived()).isEqualTo(BODY_BYTES.length);
        assertThat(completion.chunksReceived()).isPositive();
        assertThat(stream.received().text()).isEqualTo(TEXT);
        assertThat(stream.received().finished()).isTrue();
    }

    // ==== non-stream and the request ====================================================================

    @Test
    void completeParsesTheNonStreamWrapperAndAsksForStreamFalse() throws Exception {
        String completionJson = "{\"id\":\"chatcmpl-852\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"gpt-3.5-turbo-1106\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"你好，世界！🙂\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15}}";
        enqueue(Tck.json(200, "{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":" + completionJson
                + ",\"info\":" + HEADER_JSON + "}}"));

        ChatCompletion completion = client.complete(ChatRequest.of("你好"));

        assertThat(completion.text()).isEqualTo("你好，世界！🙂");
        assertQuotaHeader(completion.header().orElseThrow());
        JsonNode raw = completion.raw().orElseThrow();
        assertThat(raw.path("id").asText()).isEqualTo("chatcmpl-852");
        assertThat(raw.path("usage").path("total_tokens").asInt()).isEqualTo(15);
        assertThat(completion.finished()).isTrue();
        ReceivedRequest request = takeRequest();
        JsonNode sent = request.json();
        assertThat(sent.path("params").path("stream").isBoolean()).isTrue();
        assertThat(sent.path("params").path("stream").booleanValue()).isFalse();
        assertThat(sent.path("params").path("n").asInt()).isEqualTo(1);
        assertCarriedTheToken(request);
    }

    @Test
    void requestCarriesModelTokenMessagesAndParamsAsJsonWithTheRightHeaders() throws Exception {
        enqueue(Tck.stream(BODY, 64));
        ChatRequest request = ChatRequest.builder()
                .model(Models.GPT_4)
                .system("只用一句话回答。")
                .user("什么是 HTTP？🙂")
                .param("temperature", 0.2)
                .build();

        await(client.stream(request).completion());

        ReceivedRequest sent = takeRequest();
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(ChatApi.PATH);
        assertThat(sent.header("content-type")).get().asString().startsWith("application/json");
        assertThat(sent.header("accept")).hasValue("text/event-stream");
        assertThat(sent.header("host")).get().isIn("127.0.0.1:" + server.port(), "127.0.0.1");
        JsonNode json = sent.json(); // without the token, which the server checks and keeps no copy of
        assertThat(json).as("the body as JSON: %s", sent).isNotNull();
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("model", "messages", "params");
        assertCarriedTheToken(sent);
        assertThat(json.path("model").asText()).isEqualTo("gpt-4");
        JsonNode messages = json.path("messages");
        assertThat(messages.size()).isEqualTo(2);
        assertThat(messages.path(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.path(0).path("content").asText()).isEqualTo("只用一句话回答。");
        assertThat(messages.path(1).path("role").asText()).isEqualTo("user");
        assertThat(messages.path(1).path("content").asText()).isEqualTo("什么是 HTTP？🙂");
        JsonNode params = json.path("params");
        assertThat(params.path("n").asInt()).isEqualTo(1);
        assertThat(params.path("stream").booleanValue()).isTrue();
        assertThat(params.path("temperature").asDouble()).isEqualTo(0.2);
    }

    @Test
    void requestWithoutAModelUsesTheClientsDefaultModel() throws Exception {
        enqueue(Tck.stream(BODY, 64));

        await(client.stream(ChatRequest.of("你好")).completion());

        assertThat(takeRequest().json().path("model").asText()).isEqualTo(Models.GPT_3_5_TURBO_1106);
    }

    /**
     * The request carried exactly the kit's token: the mock keeps none, but it answers a request from a
     * script only when the token is the one it checks.
     */
    private static void assertCarriedTheToken(ReceivedRequest request) {
        assertThat(request.hasToken()).as("a token in %s", request).isTrue();
        assertThat(request.matched()).as("the mock accepted the token of %s", request).isPresent();
    }

    static String textOf(List<ChatEvent> events) {
        StringBuilder b = new StringBuilder();
        for (ChatEvent e : events) {
            if (e instanceof ChatEvent.TextDelta) {
                b.append(((ChatEvent.TextDelta) e).text());
            }
        }
        return b.toString();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
