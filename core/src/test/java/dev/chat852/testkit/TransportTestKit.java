package dev.chat852.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatListener;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.Models;
import dev.chat852.ProtocolException;
import dev.chat852.TransportException;
import dev.chat852.protocol.ChatApi;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.KitResponse.Framing;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link Transport} must show, end to end through a {@link ChatClient} and real
 * sockets against a scripted server. A transport module runs it with one small subclass:
 *
 * <pre>{@code
 * class JdkTransportKitTest extends TransportTestKit {
 *     @Override
 *     protected Transport newTransport() {
 *         return new JdkTransport();
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh server ({@link #newServer(String)}), transport ({@link #newTransport()}) and
 * client, closed afterwards. A transport that pools connections can override
 * {@link #leasedConnections(Transport)} so the kit also checks that cancelled and failed calls give
 * their connection back. Test methods are public: a subclass may override one to add
 * {@code @Disabled("why")} while a known gap is being fixed.
 *
 * <p>The server is a {@link KitServer}, scripted with {@link KitResponse}s: by default the raw-socket
 * {@link TestServer}, which can do everything the cases ask. Another server (such as the mock server,
 * in {@code chat852-mock-server}'s tests) may lack a {@link KitServer.Capability}: a case that needs it
 * for its script is skipped at once, and a case that needs it only for a late check (such as seeing the
 * client close its connection) runs all its other checks and then ends skipped, the message naming the
 * capability either way. Nothing a server cannot check is passed silently.
 *
 * <p>The kit is meant to be fast and robust on a loaded machine: it waits for things by polling with
 * generous deadlines ({@link Poll}), never by sleeping, and its timing assertions are lower bounds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TransportTestKit {
    /** The token every test client sends. */
    public static final String TOKEN = "sk-test-secret-token-852";
    /** How long a call may take before the kit gives up on it: generous, for loaded machines. */
    protected static final Duration WAIT = Duration.ofSeconds(30);
    /** How long closing a connection or ending threads may take. */
    protected static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    /** A quota header block's JSON, as the API documents its fields. */
    protected static final String HEADER_JSON = "{\"isSdHide\":false,\"sdLimitCount\":10,\"numOfOneDayCanCallApi\":100,"
            + "\"numOfOneDayAlreadyCallApi\":7,\"apiDate\":\"2024-01-05\",\"isHasGPT4Auth\":true}";
    protected static final String HEADER_BLOCK = "start852" + HEADER_JSON + "end852";
    /** The answer: 2-, 3- and 4-byte characters, marker look-alikes and an inner {@code undefined}. */
    protected static final String TEXT = "你好！我是 chat852 的测试助手。Grüße, ça va? 🙂🚀 ∑x² — "
            + "start85 和 end852 都只是文字, undefined 也是。结束";
    /** A whole streamed body: header block, answer, trailer. */
    protected static final String BODY = HEADER_BLOCK + TEXT + "undefined";
    protected static final byte[] BODY_BYTES = BODY.getBytes(UTF_8);
    /** Text the failure tests send before they fail. */
    protected static final String PART = "部分答案：前半句已经到了，";

    protected KitServer server;
    protected Transport transport;
    protected ChatClient client;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    /** Checks this test could not make on this server (see {@link #checkIfTheServerCan}). */
    private final List<String> unverified = new ArrayList<>();

    /** A new transport with default settings; the kit closes it. */
    protected abstract Transport newTransport();

    /**
     * A new, started server for one test, expecting {@code token} in every request; the kit closes it.
     * Default: a {@link TestServerAdapter} over a raw-socket {@link TestServer}, which can do everything
     * the cases ask. Override to run the kit against another server; cases needing a
     * {@link KitServer.Capability} it lacks are then skipped, naming it.
     */
    protected KitServer newServer(String token) throws IOException {
        return new TestServerAdapter(token);
    }

    /**
     * Prefixes of the {@code java.util.logging} loggers the transport's libraries log under (for
     * example {@code "io.netty"}). The secrets case turns them up to {@code ALL} and requires at least one
     * record from them, so that its capture is known to include the library's logs. Default: none.
     */
    protected Set<String> transportLoggers() {
        return Set.of();
    }

    /**
     * How many connections the transport has handed to exchanges and not yet got back, if it can
     * tell; the kit checks this returns to 0 after cancelled and failed calls.
     */
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.empty();
    }

    /**
     * Whether a thread that appeared during the leak test is none of the transport's business (JVM,
     * test framework, the test server). Override to ignore more.
     */
    protected boolean isUnrelatedThread(Thread thread) {
        String n = thread.getName();
        return n.startsWith("testserver-") || n.startsWith("ForkJoinPool.commonPool") || n.startsWith("junit")
                || n.startsWith("surefire") || n.equals("Attach Listener") || n.equals("process reaper")
                || n.equals("Common-Cleaner") || n.equals("Signal Dispatcher") || n.equals("Notification Thread")
                || n.startsWith("JFR") || n.startsWith("RMI") || n.startsWith("JMX");
    }

    @BeforeEach
    public final void startServerTransportAndClient() throws IOException {
        server = newServer(TOKEN);
        transport = newTransport();
        client = clientBuilder(transport).build();
    }

    @AfterEach
    public final void closeClientTransportAndServer() {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        toClose.clear();
        try {
            client.close();
        } finally {
            try {
                transport.close();
            } finally {
                server.close();
            }
        }
        if (!unverified.isEmpty()) {
            List<String> missed = new ArrayList<>(unverified);
            unverified.clear();
            Assumptions.abort("every other check of this case passed, but " + String.join("; ", missed));
        }
    }

    /**
     * Runs {@code check} if the server has {@code capability}; otherwise notes it, and the test, once
     * its other checks have passed, is reported skipped with a message naming the capability. For checks
     * late in a case whose earlier part is worth running on every server.
     */
    protected final void checkIfTheServerCan(KitServer.Capability capability, String check, Runnable checkIt) {
        if (server.has(capability)) {
            checkIt.run();
        } else {
            unverified.add(server.missing(capability) + ", so it cannot check " + check);
        }
    }

    /** A builder for a client of the test server with the test token, on {@code transport}. */
    protected final ChatClient.Builder clientBuilder(Transport transport) {
        return ChatClient.builder().transport(transport).baseUrl(baseUrl()).token(TOKEN);
    }

    /** {@code http://127.0.0.1:<port>} of the test's server. */
    protected final String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Another client on this test's transport, configured by {@code settings}; closed after the test. */
    protected final ChatClient newClient(Consumer<ChatClient.Builder> settings) {
        ChatClient.Builder b = clientBuilder(transport);
        settings.accept(b);
        ChatClient c = b.build();
        toClose.add(c);
        return c;
    }

    // ==== the streamed answer, in every chunking =======================================================

    @ParameterizedTest(name = "{0}-byte chunks")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    public void streamedAnswerIsExactWhateverTheChunkSize(int chunkSize) throws Exception {
        server.enqueue(KitResponse.builder().chunks(BODY_BYTES, chunkSize, Duration.ofMillis(1)).build());

        ChatCompletion completion = await(client.stream(ChatRequest.of("你好")).completion());

        assertThat(completion.text()).isEqualTo(TEXT);
        assertThat(completion.headers()).hasSize(1);
        assertQuotaHeader(completion.header().orElseThrow());
        assertThat(completion.finished()).isTrue();
        assertThat(completion.bytesReceived()).isEqualTo(BODY_BYTES.length);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Framing.class)
    public void streamedAnswerIsExactWhenEveryByteOnTheWireIsFlushedAlone(Framing framing) throws Exception {
        // A short pause before each byte, so the client's reads mostly see one byte at a time.
        server.enqueue(KitResponse.builder().framing(framing).byteByByte(Duration.ofNanos(200_000))
                .chunks(BODY_BYTES, 5, Duration.ZERO).build());

        ChatCompletion completion = await(client.stream(ChatRequest.of("你好")).completion());

        assertThat(completion.text()).isEqualTo(TEXT);
        assertQuotaHeader(completion.header().orElseThrow());
        assertThat(completion.bytesReceived()).isEqualTo(BODY_BYTES.length);
    }

    // ==== the four ways to consume a stream ===========================================================

    @Test
    public void listenerGetsTheHeaderThenTheTextInOrderThenCompleteWithTheWholeText() throws Exception {
        server.enqueue(KitResponse.builder().chunks(BODY_BYTES, 6, Duration.ofMillis(1)).build());
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
    public void flowSubscriberRequestingOneAtATimeNeverGetsMoreThanItRequested() throws Exception {
        server.enqueue(KitResponse.builder().chunks(BODY_BYTES, 6, Duration.ofMillis(1)).build());
        ScheduledExecutorService requester = Executors.newSingleThreadScheduledExecutor(daemon("kit-requester"));
        try {
            OneAtATime subscriber = new OneAtATime(requester);

            client.stream(ChatRequest.of("你好")).subscribe(subscriber);
            subscriber.done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

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
    public void blockingTextStreamYieldsTheWholeAnswerInTryWithResources() {
        server.enqueue(KitResponse.builder().chunks(BODY_BYTES, 6, Duration.ofMillis(1)).build());

        String answer;
        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<String> text = stream.text()) {
            answer = text.collect(Collectors.joining());
        }

        assertThat(answer).isEqualTo(TEXT);
    }

    @Test
    public void blockingEventStreamGivesTheHeaderThenTextThenCompleted() {
        server.enqueue(KitResponse.builder().chunks(BODY_BYTES, 6, Duration.ofMillis(1)).build());

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
    public void completionFutureHoldsTheTextTheHeaderAndTheTimings() throws Exception {
        server.enqueue(KitResponse.builder().chunks(BODY_BYTES, 16, Duration.ofMillis(1)).build());

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
    public void completeParsesTheNonStreamWrapperAndAsksForStreamFalse() throws Exception {
        String completionJson = "{\"id\":\"chatcmpl-852\",\"object\":\"chat.completion\",\"created\":1700000000,"
                + "\"model\":\"gpt-3.5-turbo-1106\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"你好，世界！🙂\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":6,\"total_tokens\":15}}";
        server.enqueue(KitResponse.json(200, "{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":" + completionJson
                + ",\"info\":" + HEADER_JSON + "}}"));

        ChatCompletion completion = client.complete(ChatRequest.of("你好"));

        assertThat(completion.text()).isEqualTo("你好，世界！🙂");
        assertQuotaHeader(completion.header().orElseThrow());
        JsonNode raw = completion.raw().orElseThrow();
        assertThat(raw.path("id").asText()).isEqualTo("chatcmpl-852");
        assertThat(raw.path("usage").path("total_tokens").asInt()).isEqualTo(15);
        assertThat(completion.finished()).isTrue();
        KitServer.KitRequest request = server.takeRequest(WAIT);
        JsonNode sent = request.json();
        assertThat(sent.path("params").path("stream").isBoolean()).isTrue();
        assertThat(sent.path("params").path("stream").booleanValue()).isFalse();
        assertThat(sent.path("params").path("n").asInt()).isEqualTo(1);
        assertThat(request.token()).hasValue(TOKEN);
    }

    @Test
    public void requestCarriesModelTokenMessagesAndParamsAsJsonWithTheRightHeaders() throws Exception {
        server.enqueue(KitResponse.stream(BODY, 64));
        ChatRequest request = ChatRequest.builder()
                .model(Models.GPT_4)
                .system("只用一句话回答。")
                .user("什么是 HTTP？🙂")
                .param("temperature", 0.2)
                .build();

        await(client.stream(request).completion());

        KitServer.KitRequest sent = server.takeRequest(WAIT);
        assertThat(sent.method()).isEqualTo("POST");
        assertThat(sent.path()).isEqualTo(ChatApi.PATH);
        assertThat(sent.header("content-type")).startsWith("application/json");
        assertThat(sent.header("accept")).isEqualTo("text/event-stream");
        assertThat(sent.header("host")).isIn("127.0.0.1:" + server.port(), "127.0.0.1");
        JsonNode json = sent.json(); // without the token, which the server reads apart
        assertThat(json).as("the body as JSON: %s", sent).isNotNull();
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("model", "messages", "params");
        assertThat(sent.token()).hasValue(TOKEN);
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
    public void requestWithoutAModelUsesTheClientsDefaultModel() throws Exception {
        server.enqueue(KitResponse.stream(BODY, 64));

        await(client.stream(ChatRequest.of("你好")).completion());

        assertThat(server.takeRequest(WAIT).json().path("model").asText()).isEqualTo(Models.GPT_3_5_TURBO_1106);
    }

    // ==== errors ======================================================================================

    @Test
    public void jsonErrorOnHttp200FailsTheStreamWithApiException() {
        server.enqueue(KitResponse.builder().contentType("application/json; charset=utf-8")
                .chunks("{\"code\":401,\"message\":\"token无效\",\"data\":null}", 3, Duration.ZERO).build());

        Throwable error;
        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<String> text = stream.text()) {
            error = catchThrowable(() -> text.collect(Collectors.joining()));
            assertThat(stream.received().text()).isEmpty();
        }

        assertThat(error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("token无效");
            assertThat(e.httpStatus()).isEqualTo(200);
        });
        assertNoToken(error);
        assertConnectionsReleased();
    }

    @Test
    public void jsonErrorOnHttp200FailsCompleteWithApiException() {
        server.enqueue(KitResponse.json(200, "{\"code\":401,\"message\":\"token无效\",\"data\":null}"));

        Throwable error = catchThrowable(() -> client.complete(ChatRequest.of("你好")));

        assertThat(error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("token无效");
            assertThat(e.httpStatus()).isEqualTo(200);
        });
        assertNoToken(error);
    }

    @Test
    public void http500WithATextBodyFailsWithHttpStatusExceptionAndAnExcerpt() throws Exception {
        server.enqueue(KitResponse.text(500, "upstream exploded: 上游错误"));

        Throwable error = failureOf(client.stream(ChatRequest.of("你好")).completion());

        assertThat(error).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.bodyExcerpt()).contains("upstream exploded: 上游错误");
        });
        assertNoToken(error);
        assertConnectionsReleased();
    }

    @Test
    public void http500WithTheJsonWrapperFailsWithApiExceptionCarryingStatus500() throws Exception {
        server.enqueue(KitResponse.json(500, "{\"code\":500,\"message\":\"服务器内部错误\",\"data\":null}"));
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(500);
            assertThat(e.serverMessage()).isEqualTo("服务器内部错误");
            assertThat(e.httpStatus()).isEqualTo(500);
        });
        assertThat(listener.calls()).containsExactly("error:ApiException");
        assertConnectionsReleased();
    }

    @Test
    public void resetMidStreamFailsWithTransportExceptionAndKeepsTheTextReceivedBefore() throws Exception {
        KitResponse.Gate gate = new KitResponse.Gate();
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK).chunk(PART).awaitGate(gate).reset().build());
        RecordingListener listener = new RecordingListener();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        Poll.until(WAIT, "the text before the reset", () -> listener.text().equals(PART), listener::toString);
        gate.open();
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOf(TransportException.class);
        assertNoToken(error);
        assertThat(stream.received().text()).isEqualTo(PART);
        assertThat(stream.received().finished()).isFalse();
        assertThat(listener.calls()).last().isEqualTo("error:TransportException");
        assertConnectionsReleased();
    }

    @Test
    public void resetBeforeTheDeclaredContentLengthEndsFailsTheCall() throws Exception {
        int resetAt = HEADER_BLOCK.getBytes(UTF_8).length + 20;
        server.enqueue(KitResponse.builder().framing(Framing.CONTENT_LENGTH).chunks(BODY_BYTES, 16, Duration.ofMillis(1))
                .resetAfterBodyBytes(resetAt).build());

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOf(TransportException.class);
        assertThat(TEXT).startsWith(stream.received().text());
        assertThat(stream.received().bytesReceived()).isLessThanOrEqualTo(resetAt);
        assertConnectionsReleased();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Framing.class, names = {"CHUNKED", "CONTENT_LENGTH"})
    public void connectionClosedBeforeTheBodyEndsFailsTheCallInsteadOfEndingQuietly(Framing framing) throws Exception {
        KitResponse.Builder response = KitResponse.builder().framing(framing);
        if (framing == Framing.CONTENT_LENGTH) {
            response.header("Content-Length", String.valueOf(BODY_BYTES.length)); // more than is sent
        }
        server.enqueue(response.chunk(HEADER_BLOCK).chunk(PART).closeConnection().build());

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOf(TransportException.class);
        assertThat(stream.received().text()).isEqualTo(PART);
        assertConnectionsReleased();
    }

    @Test
    public void unterminatedHeaderFailsWithProtocolExceptionAfterTheTextBeforeIt() throws Exception {
        server.enqueue(KitResponse.builder().chunks(HEADER_BLOCK + "前文 start852{\"a\":1", 5, Duration.ofMillis(1))
                .build());
        RecordingListener listener = new RecordingListener();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.framing()).get().extracting(FramingException::kind)
                        .isEqualTo(FramingException.Kind.UNTERMINATED_HEADER));
        List<String> calls = listener.calls();
        assertThat(calls.get(0)).isEqualTo("header:" + HEADER_JSON);
        assertThat(calls.get(calls.size() - 1)).isEqualTo("error:ProtocolException");
        assertThat(listener.text()).isEqualTo("前文 ");
        assertThat(stream.received().text()).isEqualTo("前文 ");
    }

    @Test
    public void refusedConnectionFailsWithTransportException() throws Exception {
        int port = unusedPort();
        ChatClient refused = ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:" + port)
                .token(TOKEN).build();
        toClose.add(refused);

        ChatStream stream = refused.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOf(TransportException.class).hasMessage("the connection failed before the response:"
                + " the connection to 127.0.0.1:" + port + " was refused");
        assertNoToken(error);
        assertThat(stream.received().timeToFirstByte()).isEmpty();
        assertConnectionsReleased();
    }

    // ==== timeouts ====================================================================================

    @Test
    public void stalledBodyFailsWithIdleTimeoutAndClosesTheConnection() throws Exception {
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK + PART).stallForever().build()); // one write: no gap
        ChatClient impatient = newClient(b -> b.idleTimeout(Duration.ofMillis(300)));
        RecordingListener listener = new RecordingListener();

        long start = System.nanoTime();
        ChatStream stream = impatient.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE);
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(stream.received().text()).isEqualTo(PART);
        awaitClosedByClient(0);
        assertConnectionsReleased();
    }

    @Test
    public void slowStatusLineFailsWithFirstByteTimeoutAndClosesTheConnection() throws Exception {
        server.enqueue(KitResponse.builder().stallBeforeStatus().build());
        ChatClient impatient = newClient(b -> b.firstByteTimeout(Duration.ofMillis(300)));

        ChatStream stream = impatient.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE);
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
        });
        assertThat(stream.received().timeToFirstByte()).isEmpty();
        awaitTheOnlyConnectionClosedByClient();
        assertConnectionsReleased();
    }

    @Test
    public void requestIdleTimeoutOverridesTheClientsLongerOne() throws Exception {
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK + PART).stallForever().build());
        ChatRequest request = ChatRequest.builder().user("你好").idleTimeout(Duration.ofMillis(300)).build();

        ChatStream stream = client.stream(request); // the client's idle timeout is the default, 60 s
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class, e -> {
            assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE);
            assertThat(e.timeout()).isEqualTo(Duration.ofMillis(300));
        });
        assertThat(stream.received().text()).isEqualTo(PART);
    }

    @Test
    public void requestTimeoutsOverrideTheClientsShorterOnesToAllowASlowAnswer() throws Exception {
        server.enqueue(KitResponse.builder().delayBeforeStatus(Duration.ofMillis(700)).chunk(HEADER_BLOCK).chunk(PART)
                .pause(Duration.ofMillis(700)).chunk(TEXT).chunk("undefined").build());
        ChatClient impatient = newClient(b -> b.firstByteTimeout(Duration.ofMillis(300))
                .idleTimeout(Duration.ofMillis(300)));
        ChatRequest patient = ChatRequest.builder().user("你好")
                .firstByteTimeout(Duration.ofSeconds(20)).idleTimeout(Duration.ofSeconds(20)).build();

        ChatCompletion completion = await(impatient.stream(patient).completion());

        assertThat(completion.text()).isEqualTo(PART + TEXT);
        assertThat(completion.timeToFirstByte().orElseThrow()).isGreaterThanOrEqualTo(Duration.ofMillis(700));
    }

    @Test
    public void unacceptedConnectionFailsWithConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket()) {
            full.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            List<Socket> fillers = new ArrayList<>();
            try {
                boolean saturated = false;
                for (int i = 0; i < 16 && !saturated; i++) {
                    Socket s = new Socket();
                    fillers.add(s);
                    try {
                        // Generous: a loopback handshake slowed by a busy machine must not pass for a full
                        // backlog, or the client's connection then succeeds and the case times out later.
                        s.connect(full.getLocalSocketAddress(), 1_000);
                    } catch (SocketTimeoutException e) {
                        saturated = true;
                    }
                }
                assumeTrue(saturated, "this OS completes connections beyond the listen backlog: cannot provoke a"
                        + " connect timeout locally");
                ChatClient c = ChatClient.builder().transport(transport)
                        .baseUrl("http://127.0.0.1:" + full.getLocalPort()).token(TOKEN)
                        .connectTimeout(Duration.ofMillis(300)).firstByteTimeout(Duration.ofSeconds(25)).build();
                toClose.add(c);

                Throwable error = failureOf(c.stream(ChatRequest.of("你好")).completion());

                assertThat(error).isInstanceOfSatisfying(ChatTimeoutException.class,
                        e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.CONNECT));
                assertConnectionsReleased();
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    // ==== cancellation and connections ================================================================

    @Test
    public void cancelMidStreamClosesTheConnectionAndSilencesTheListener() throws Exception {
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK)
                .repeat("滴".getBytes(UTF_8), Long.MAX_VALUE, Duration.ofMillis(10)).build());
        RecordingListener listener = new RecordingListener();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        Poll.until(WAIT, "some text", () -> listener.text().length() >= 3, listener::toString);
        stream.cancel();
        listener.silence();

        awaitTheOnlyConnectionClosedByClient();
        assertConnectionsReleased();
        assertThat(listener.callsAfterSilence()).as("listener calls after cancel() returned").isEmpty();
        assertThat(listener.calls()).noneMatch(c -> c.startsWith("error:") || c.startsWith("complete:"));
        assertThat(failureOf(stream.completion())).isInstanceOf(CancellationException.class);
        assertThat(stream.received().text()).startsWith("滴滴滴").matches("滴+");
    }

    @Test
    public void closingTheBlockingStreamEarlyClosesTheConnection() throws Exception {
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK).chunk(PART).stallForever().build());

        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<ChatEvent> events = stream.events()) {
            Iterator<ChatEvent> it = events.iterator();
            assertThat(it.next()).isInstanceOf(ChatEvent.HeaderReceived.class);
            assertThat(it.next()).isInstanceOf(ChatEvent.TextDelta.class);
        }

        awaitTheOnlyConnectionClosedByClient();
        assertConnectionsReleased();
    }

    @Test
    public void closingTheTransportFailsARunningCallInsteadOfLeavingItHanging() throws Exception {
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK).chunk(PART).stallForever().build());
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        Poll.until(WAIT, "the text", () -> listener.text().equals(PART), listener::toString);
        transport.close();

        assertThat(listener.awaitError()).isInstanceOf(Chat852Exception.class);
        awaitTheOnlyConnectionClosedByClient();
    }

    @Test
    public void cancelBeforeTheResponseClosesTheConnectionAndSignalsCancellationToTheSubscriber() throws Exception {
        server.enqueue(KitResponse.builder().stallBeforeStatus().build());
        CompletableFuture<Throwable> signalled = new CompletableFuture<>();
        List<ChatEvent> events = Collections.synchronizedList(new ArrayList<>());

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.subscribe(new Flow.Subscriber<ChatEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ChatEvent item) {
                events.add(item);
            }

            @Override
            public void onError(Throwable error) {
                signalled.complete(error);
            }

            @Override
            public void onComplete() {
                signalled.complete(null);
            }
        });
        server.takeRequest(WAIT);
        stream.cancel();

        assertThat(signalled.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(CancellationException.class);
        assertThat(events).isEmpty();
        awaitClosedByClient(0);
        assertConnectionsReleased();
    }

    @Test
    public void largeStreamedAnswerArrivesWholeAndInOrder() throws Exception {
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
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK).repeat(unit, units, Duration.ZERO).chunk("undefined")
                .build());
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        ChatCompletion completion = listener.awaitCompletion();

        assertThat(completion.bytesReceived()).isEqualTo(HEADER_BLOCK.getBytes(UTF_8).length + body.length + 9);
        assertThat(completion.text().length()).isEqualTo(expected.length());
        assertThat(completion.text().equals(expected)).as("the 4 MiB answer equals what was sent").isTrue();
        assertThat(listener.overlaps()).as("listener calls that overlapped").isZero();
    }

    @Test
    public void closingTheClientFailsItsRunningCallsAlsoOnATransportItDoesNotOwn() throws Exception {
        server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK + PART).stallForever().build());

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        CompletableFuture<ChatCompletion> completion = stream.completion();
        Poll.until(WAIT, "the text", () -> stream.received().text().equals(PART));
        client.close(); // the kit's transport was passed to the builder, so the client does not close it

        // ChatClient.close() documents "Calls still running fail"; a call left running would also have lost
        // its timeouts with the client's timer, and hang for as long as the server stalls.
        try {
            completion.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            fail("the call completed normally although the server never finished the body");
        } catch (ExecutionException | CancellationException e) {
            // failed, as documented
        } catch (TimeoutException e) {
            fail("ChatClient.close() left a call running on a transport it does not own (still running "
                    + CLOSE_WAIT.toMillis() + " ms later; the client's timeouts stopped with its timer); core:"
                    + " ChatClient.close() neither fails running calls nor cancels their exchanges");
        }
    }

    @Test
    public void consumerThatStopsRequestingStopsTheClientFromReadingAhead() throws Exception {
        byte[] unit = new byte[16 * 1024];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = (byte) ('a' + i % 26);
        }
        server.require(KitServer.Capability.SEND_BUFFER_SIZE);
        server.require(KitServer.Capability.WRITE_PROGRESS);
        long units = 4096; // 64 MiB, far more than socket buffers hold
        long total = HEADER_BLOCK.getBytes(UTF_8).length + units * unit.length;
        server.enqueue(KitResponse.builder().sendBufferSize(256 * 1024).chunk(HEADER_BLOCK)
                .repeat(unit, units, Duration.ZERO).build());
        AtomicInteger delivered = new AtomicInteger();
        AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.subscribe(new Flow.Subscriber<ChatEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.set(s);
                s.request(1); // and never again
            }

            @Override
            public void onNext(ChatEvent item) {
                delivered.incrementAndGet();
            }

            @Override
            public void onError(Throwable throwable) {
            }

            @Override
            public void onComplete() {
            }
        });
        Poll.until(WAIT, "the first event", () -> delivered.get() >= 1);
        Poll.until(WAIT, "the exchange", () -> !server.exchanges().isEmpty());
        KitServer.KitExchange exchange = server.exchanges().get(0);

        long written = awaitStalled(exchange, Duration.ofSeconds(1), WAIT);
        long received = stream.received().bytesReceived();

        assertThat(written).as("body bytes the server could write (of %d) while the consumer asked for nothing",
                total).isLessThan(16L << 20);
        assertThat(received).as("body bytes handed to the client").isLessThan(4L << 20);
        assertThat(delivered.get()).isEqualTo(1);
        stream.cancel();
        awaitClosedByClient(0);
        assertConnectionsReleased();
    }

    @Test
    public void twoHundredConcurrentStreamsEachGetTheirOwnAnswer() throws Exception {
        int n = 200;
        Map<String, KitResponse> answers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            answers.put("q-" + i, KitResponse.builder().chunks(concurrentBody(i), 7, Duration.ofMillis(2)).build());
        }
        server.route(answers, null);
        List<CompletableFuture<String>> results = new ArrayList<>();

        for (int i = 0; i < n; i++) {
            ChatStream stream = client.stream(ChatRequest.of("q-" + i));
            CompletableFuture<String> result = new CompletableFuture<>();
            switch (i % 3) {
                case 0:
                    stream.listen(new ChatListener() {
                        private final StringBuilder text = new StringBuilder();
                        private String header = "";

                        @Override
                        public void onHeader(Header h) {
                            header = h.raw();
                        }

                        @Override
                        public void onText(String t) {
                            text.append(t);
                        }

                        @Override
                        public void onComplete(ChatCompletion completion) {
                            result.complete(header + "|" + text);
                        }

                        @Override
                        public void onError(Chat852Exception error) {
                            result.completeExceptionally(error);
                        }
                    });
                    break;
                case 1:
                    stream.subscribe(new Flow.Subscriber<ChatEvent>() {
                        private final StringBuilder text = new StringBuilder();
                        private String header = "";
                        private Flow.Subscription s;

                        @Override
                        public void onSubscribe(Flow.Subscription s) {
                            this.s = s;
                            s.request(1);
                        }

                        @Override
                        public void onNext(ChatEvent e) {
                            if (e instanceof ChatEvent.HeaderReceived) {
                                header = ((ChatEvent.HeaderReceived) e).header().raw();
                            } else if (e instanceof ChatEvent.TextDelta) {
                                text.append(((ChatEvent.TextDelta) e).text());
                            }
                            s.request(1);
                        }

                        @Override
                        public void onError(Throwable error) {
                            result.completeExceptionally(error);
                        }

                        @Override
                        public void onComplete() {
                            result.complete(header + "|" + text);
                        }
                    });
                    break;
                default:
                    stream.completion().whenComplete((c, error) -> {
                        if (error != null) {
                            result.completeExceptionally(error);
                        } else {
                            result.complete(c.header().map(Header::raw).orElse("") + "|" + c.text());
                        }
                    });
            }
            results.add(result);
        }

        CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).get(45, TimeUnit.SECONDS);
        for (int i = 0; i < n; i++) {
            assertThat(results.get(i).join()).as("stream %d", i).isEqualTo("{\"i\":" + i + "}|" + concurrentAnswer(i));
        }
        assertThat(server.requests()).hasSize(n);
        assertThat(server.unmatchedRequests()).isEmpty();
        assertConnectionsReleased();
    }

    @Test
    public void sequentialCallsAllSucceedWhateverHappenedToThePreviousConnection() throws Exception {
        String json = "{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":{\"choices\":[{\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"整段\"}}]},\"info\":" + HEADER_JSON + "}}";
        // A server that cannot frame a body by Content-Length or by closing skips those two calls (and the
        // case then ends skipped, naming what it could not check); the others run on every server.
        boolean lengths = server.has(KitServer.Capability.CONTENT_LENGTH_FRAMING);
        boolean closes = server.has(KitServer.Capability.CLOSE_DELIMITED_FRAMING);
        server.enqueue(KitResponse.stream(BODY, 32))
                .enqueue(KitResponse.json(200, json))
                .enqueue(KitResponse.builder().chunk(HEADER_BLOCK).chunk(PART).stallForever().build())
                .enqueue(KitResponse.json(200, "{\"code\":429,\"message\":\"次数用完\",\"data\":null}"));
        if (lengths) {
            server.enqueue(KitResponse.builder().framing(Framing.CONTENT_LENGTH).chunks(BODY_BYTES, 50, Duration.ZERO).build());
        }
        if (closes) {
            server.enqueue(KitResponse.builder().framing(Framing.CLOSE).chunks(BODY_BYTES, 50, Duration.ZERO).build());
        }
        server.enqueue(KitResponse.stream(BODY, 7));
        List<String> asked = new ArrayList<>(List.of("一", "二", "三", "四"));

        assertThat(await(client.stream("一").completion()).text()).isEqualTo(TEXT);
        assertThat(client.complete(ChatRequest.of("二")).text()).isEqualTo("整段");
        try (ChatStream cancelled = client.stream("三"); Stream<String> text = cancelled.text()) {
            assertThat(text.findFirst()).hasValue(PART);
        }
        assertThat(failureOf(client.stream("四").completion())).isInstanceOf(ApiException.class);
        checkIfTheServerCan(KitServer.Capability.CONTENT_LENGTH_FRAMING, "a call answered with a Content-Length body",
                () -> {
                    assertThat(streamedTextOf("五")).isEqualTo(TEXT);
                    asked.add("五");
                });
        checkIfTheServerCan(KitServer.Capability.CLOSE_DELIMITED_FRAMING, "a call answered with a close-delimited body",
                () -> {
                    assertThat(streamedTextOf("六")).isEqualTo(TEXT);
                    asked.add("六");
                });
        assertThat(await(client.stream("七").completion()).text()).isEqualTo(TEXT);
        asked.add("七");

        assertThat(server.requests()).extracting(r -> r.json().path("messages").path(0).path("content").asText())
                .containsExactlyElementsOf(asked);
        assertConnectionsReleased();
    }

    @Test
    public void closingClientAndTransportLeavesNoThreadsOrConnectionsBehind() throws Exception {
        server.route(Map.of(
                "whole", KitResponse.json(200, "{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":{\"choices\":"
                        + "[{\"message\":{\"role\":\"assistant\",\"content\":\"整段\"}}]},\"info\":null}}"),
                "stall", KitResponse.builder().chunk(HEADER_BLOCK).chunk(PART).stallForever().build()),
                KitResponse.builder().chunks(BODY_BYTES, 24, Duration.ofMillis(1)).build());
        useAndClose(); // warm-up: classes loaded, lazily started JVM and library threads running
        checkIfTheServerCan(KitServer.Capability.CLIENT_CLOSE_PROBE, "that the warm-up's connections were closed",
                () -> Poll.untilWithGc(CLOSE_WAIT, "the warm-up's connections to be closed",
                        () -> server.openConnections() == 0, server::toString));
        Set<Thread> baseline = new HashSet<>(Thread.getAllStackTraces().keySet());

        for (int round = 0; round < 3; round++) {
            useAndClose();
        }

        Poll.untilWithGc(CLOSE_WAIT, "the threads the transports started to end",
                () -> newThreads(baseline).isEmpty(), () -> "still running: " + newThreads(baseline));
        checkIfTheServerCan(KitServer.Capability.CLIENT_CLOSE_PROBE, "that every connection was closed",
                () -> Poll.untilWithGc(CLOSE_WAIT, "the server to see every connection closed",
                        () -> server.openConnections() == 0, server::toString));
        assertThat(server.unmatchedRequests()).isEmpty();
    }

    /** One transport and client: streams, a whole answer, a cancel, concurrent calls; then both closed. */
    private void useAndClose() throws Exception {
        Transport t = newTransport();
        try (ChatClient c = clientBuilder(t).build()) {
            assertThat(await(c.stream("stream").completion()).text()).isEqualTo(TEXT);
            assertThat(c.complete(ChatRequest.of("whole")).text()).isEqualTo("整段");
            try (ChatStream stalled = c.stream("stall"); Stream<String> text = stalled.text()) {
                assertThat(text.findFirst()).hasValue(PART);
            }
            List<CompletableFuture<ChatCompletion>> concurrent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                concurrent.add(c.stream("stream").completion());
            }
            for (CompletableFuture<ChatCompletion> f : concurrent) {
                assertThat(await(f).text()).isEqualTo(TEXT);
            }
            if (leasedConnections(t).isPresent()) {
                Poll.until(CLOSE_WAIT, "leased connections to return to 0", () -> leasedConnections(t).orElse(0) == 0,
                        () -> "leased: " + leasedConnections(t));
            }
        } finally {
            t.close();
        }
    }

    private List<String> newThreads(Set<Thread> baseline) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !baseline.contains(t) && !isUnrelatedThread(t) && !server.ownsThread(t.getName())) {
                names.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
            }
        }
        return names;
    }

    // ==== secrets =====================================================================================

    /**
     * Across a streamed answer, a whole answer, the API's error for a wrong token (streamed and whole),
     * an HTTP 500, a reset, a refused connection, an idle and a first-byte timeout, on a transport made
     * while the capture runs: neither the token nor the wrong one is in any log record (every
     * {@code java.util.logging} record, the root logger, {@code dev.chat852} and the transport's
     * library turned up to {@code ALL}: message, formatted message, parameters, stack trace), in any
     * exception's message, {@code toString()}, causes or stack trace (the client's and those the
     * transport reported), in the {@code toString()} of clients, transport, requests, transport
     * requests, exchanges, streams and completions, or in what the server keeps. The capture is shown
     * to hold something: a canary, chat852's DEBUG line for each outcome, and the library's records.
     */
    @Test
    public void tokenAppearsInNoLogRecordExceptionOrToStringOfSuccessfulAndFailingCalls() throws Exception {
        String wrongToken = "sk-wrong-secret-token-" + Long.toHexString(System.nanoTime());
        String canary = "kit-log-canary-" + Long.toHexString(System.nanoTime());
        String wholeJson = "{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":{\"choices\":[{\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"整段\"}}]},\"info\":" + HEADER_JSON + "}}";
        List<String> texts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        List<LogCapture.Entry> logs;
        SpyTransport spy;
        try (LogCapture capture = LogCapture.start(transportLoggers())) {
            System.getLogger("dev.chat852.testkit").log(System.Logger.Level.DEBUG, "log capture check {0}", canary);
            spy = new SpyTransport(newTransport()); // made now, so that its library's set-up is logged too
            try {
                ChatClient c = clientBuilder(spy).build();
                ChatClient wrong = clientBuilder(spy).token(wrongToken).build();
                ChatClient refused = clientBuilder(spy).baseUrl("http://127.0.0.1:" + unusedPort()).build();
                try {
                    texts.addAll(List.of(c.toString(), wrong.toString(), refused.toString(), transport.toString()));

                    // a streamed answer
                    server.enqueue(KitResponse.builder().chunks(BODY_BYTES, 9, Duration.ofMillis(1)).build());
                    ChatRequest streamed = ChatRequest.builder().system("简短回答").user("你好").param("temperature", 0.2)
                            .build();
                    ChatStream ok = c.stream(streamed);
                    ChatCompletion answer = await(ok.completion());
                    assertThat(answer.text()).isEqualTo(TEXT);
                    texts.addAll(List.of(streamed.toString(), ok.toString(), answer.toString(),
                            ok.received().toString()));

                    // a whole answer
                    server.enqueue(KitResponse.json(200, wholeJson));
                    ChatRequest whole = ChatRequest.of("整段");
                    ChatCompletion wholeAnswer = c.complete(whole);
                    assertThat(wholeAnswer.text()).isEqualTo("整段");
                    texts.addAll(List.of(whole.toString(), wholeAnswer.toString()));

                    // the API's error for a wrong token, streamed and whole
                    ChatStream badToken = wrong.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(badToken.completion()));
                    errors.add(catchThrowable(() -> wrong.complete(ChatRequest.of("你好"))));
                    texts.addAll(List.of(badToken.toString(), badToken.received().toString()));

                    // an HTTP error
                    server.enqueue(KitResponse.text(500, "upstream exploded: 上游错误"));
                    ChatStream http500 = c.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(http500.completion()));
                    texts.add(http500.toString());

                    // a reset mid-stream, and a refused connection
                    server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK).chunk(PART).reset().build());
                    ChatStream reset = c.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(reset.completion()));
                    ChatStream refusedStream = refused.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(refusedStream.completion()));
                    texts.addAll(List.of(reset.toString(), reset.received().toString(), refusedStream.toString()));

                    // an idle timeout and a first-byte timeout
                    server.enqueue(KitResponse.builder().chunk(HEADER_BLOCK + PART).stallForever().build());
                    ChatRequest idle = ChatRequest.builder().user("你好").idleTimeout(Duration.ofMillis(300)).build();
                    ChatStream stalled = c.stream(idle);
                    errors.add(failureOf(stalled.completion()));
                    server.enqueue(KitResponse.builder().stallBeforeStatus().build());
                    ChatRequest slow = ChatRequest.builder().user("你好").firstByteTimeout(Duration.ofMillis(300)).build();
                    ChatStream late = c.stream(slow);
                    errors.add(failureOf(late.completion()));
                    texts.addAll(List.of(idle.toString(), stalled.toString(), stalled.received().toString(),
                            slow.toString(), late.toString()));
                } finally {
                    c.close();
                    wrong.close();
                    refused.close();
                }
            } finally {
                spy.close();
            }
            logs = capture.entries();
        }

        assertThat(errors).extracting(e -> (Object) e.getClass()).containsExactly(ApiException.class,
                ApiException.class, HttpStatusException.class, TransportException.class, TransportException.class,
                ChatTimeoutException.class, ChatTimeoutException.class);
        for (Throwable e : errors) {
            texts.add(LogCapture.stackTrace(e));
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                texts.addAll(List.of(String.valueOf(t.getMessage()), String.valueOf(t.getLocalizedMessage()),
                        t.toString()));
            }
        }
        texts.addAll(spy.texts());
        texts.addAll(server.retainedTexts());
        texts.add(server.toString());
        List<String> logTexts = logs.stream().map(LogCapture.Entry::toString).collect(Collectors.toList());

        // The capture really holds something: the canary, chat852's DEBUG line for each outcome, the
        // transport's errors, and (for a transport whose library logs) the library's own records.
        assertThat(logTexts).as("captured log records").anyMatch(t -> t.contains(canary));
        List<String> clientDebug = logs.stream()
                .filter(e -> e.logger().equals("dev.chat852.ChatClient") && e.level().equals(java.util.logging.Level.FINE))
                .map(LogCapture.Entry::text).collect(Collectors.toList());
        for (String outcome : List.of("success", "api_error", "http_error", "transport_error", "timeout")) {
            assertThat(clientDebug).as("chat852's DEBUG lines, one ending \"ended: %s\"", outcome)
                    .anyMatch(t -> t.contains("ended: " + outcome));
        }
        assertThat(spy.requestCount()).isEqualTo(9);
        assertThat(spy.errors()).isNotEmpty();
        for (String library : transportLoggers()) {
            assertThat(logs).as("records from %s's loggers, logged by the client side", library)
                    .anyMatch(e -> e.logger() != null && e.logger().startsWith(library)
                            && !server.ownsThread(e.thread()));
        }

        for (String secret : List.of(TOKEN, wrongToken)) {
            assertThat(logTexts).as("log records holding a token").noneMatch(t -> t.contains(secret));
            assertThat(texts).as("messages, stack traces and toStrings holding a token")
                    .noneMatch(t -> t.contains(secret));
        }
    }

    // ==== helpers =====================================================================================

    /** Checks a header block is the kit's quota header, parsed. */
    protected static void assertQuotaHeader(Header header) {
        assertThat(header.raw()).isEqualTo(HEADER_JSON);
        assertThat(header.json()).isNotNull();
        assertThat(header.sdHide()).hasValue(false);
        assertThat(header.sdLimitCount()).hasValue(10);
        assertThat(header.dailyCallLimit()).hasValue(100);
        assertThat(header.dailyCallsUsed()).hasValue(7);
        assertThat(header.apiDate()).hasValue("2024-01-05");
        assertThat(header.gpt4Authorized()).hasValue(true);
    }

    /** The result of {@code future}, waiting at most {@link #WAIT}; a failure becomes an AssertionError. */
    protected static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the call failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new AssertionError("the call was cancelled", e);
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end within " + WAIT.toMillis() + " ms", e);
        }
    }

    /** How {@code future} failed, waiting at most {@link #WAIT}; an AssertionError if it succeeded or hung. */
    protected static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the call to fail, but it succeeded with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end within " + WAIT.toMillis() + " ms", e);
        }
    }

    /** No message of the error or its causes contains the token. */
    protected static void assertNoToken(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContain(TOKEN);
            for (Throwable s : t.getSuppressed()) {
                assertThat(String.valueOf(s)).doesNotContain(TOKEN);
            }
        }
    }

    /** If the transport reports leased connections, waits until none is leased. */
    protected final void assertConnectionsReleased() {
        if (leasedConnections(transport).isPresent()) {
            Poll.until(CLOSE_WAIT, "the transport's leased connections to return to 0",
                    () -> leasedConnections(transport).orElse(0) == 0, () -> "leased: " + leasedConnections(transport));
        }
    }

    /**
     * Waits until the server has accepted exactly one connection and the client has closed (or reset)
     * it. Needs {@link KitServer.Capability#CLIENT_CLOSE_PROBE}, like {@link #awaitClosedByClient(int)}.
     */
    protected final void awaitTheOnlyConnectionClosedByClient() {
        checkIfTheServerCan(KitServer.Capability.CLIENT_CLOSE_PROBE, "that the client closed its one connection",
                () -> {
                    Poll.until(WAIT, "the server to see the connection", () -> server.connections().size() == 1,
                            () -> server.connections().toString());
                    KitServer.KitConnection connection = server.connections().get(0);
                    Poll.until(CLOSE_WAIT, "the client to close " + connection, connection::isClosed,
                            connection::toString);
                    assertThat(connection.closedByClient()).as("%s closed by the client", connection).isTrue();
                });
    }

    /**
     * Waits until the server has accepted connection number {@code index} (from 0) and the client has
     * closed (or reset) it. Needs {@link KitServer.Capability#CLIENT_CLOSE_PROBE}: on a server without
     * it, the check is noted and the test reported skipped once its other checks have passed.
     */
    protected final void awaitClosedByClient(int index) {
        checkIfTheServerCan(KitServer.Capability.CLIENT_CLOSE_PROBE, "that the client closed connection #" + index,
                () -> {
                    Poll.until(WAIT, "the server to accept connection #" + index,
                            () -> server.connections().size() > index, () -> server.connections().toString());
                    KitServer.KitConnection connection = server.connections().get(index);
                    Poll.until(CLOSE_WAIT, "the client to close " + connection, connection::isClosed,
                            connection::toString);
                    assertThat(connection.closedByClient()).as("%s closed by the client", connection).isTrue();
                });
    }

    /**
     * Waits until the server's writes for {@code exchange} make no progress for {@code quiet} (its
     * socket writes are blocked), or the response is fully written, or the connection closed; returns
     * the body bytes written by then.
     */
    public static long awaitStalled(TestServer.Exchange exchange, Duration quiet, Duration timeout) {
        return awaitStalled(new KitServer.KitExchange() {
            @Override
            public long bodyBytesWritten() {
                return exchange.bodyBytesWritten();
            }

            @Override
            public boolean responseComplete() {
                return exchange.responseComplete();
            }

            @Override
            public KitServer.KitConnection connection() {
                TestServer.Connection c = exchange.connection();
                return new KitServer.KitConnection() {
                    @Override
                    public boolean isClosed() {
                        return c.isClosed();
                    }

                    @Override
                    public boolean closedByClient() {
                        return c.closedByClient();
                    }
                };
            }
        }, quiet, timeout);
    }

    /** {@link #awaitStalled(TestServer.Exchange, Duration, Duration)} for any kit server's exchange. */
    public static long awaitStalled(KitServer.KitExchange exchange, Duration quiet, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long written = exchange.bodyBytesWritten();
            if (exchange.responseComplete() || exchange.connection().isClosed()) {
                return written;
            }
            if (written != last) {
                last = written;
                lastChange = now;
            } else if (written > 0 && now - lastChange >= quiet.toNanos()) {
                return written;
            }
            if (now - deadline > 0) {
                throw new AssertionError("the server's writes kept progressing for " + timeout.toMillis()
                        + " ms: " + written + " body bytes written");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** The text of a streamed answer to {@code message} from the test's client. */
    private String streamedTextOf(String message) {
        try {
            return await(client.stream(message).completion()).text();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A port nothing listens on (it was free a moment ago). */
    protected static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    private static String textOf(List<ChatEvent> events) {
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

    private static String concurrentAnswer(int i) {
        return "第" + i + "个回答：" + "ü🙂你".repeat(i % 7 + 1) + " #" + i;
    }

    private static byte[] concurrentBody(int i) {
        return ("start852{\"i\":" + i + "}end852" + concurrentAnswer(i) + "undefined").getBytes(UTF_8);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * A listener that records its calls as strings ({@code header:<raw>}, {@code text:<piece>},
     * {@code complete:<text>}, {@code error:<SimpleName>}) and, once {@link #silence()}d, every call
     * that still arrives.
     */
    protected static final class RecordingListener implements ChatListener {
        private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        private final List<String> afterSilence = Collections.synchronizedList(new ArrayList<>());
        private final StringBuilder text = new StringBuilder();
        private final CompletableFuture<Object> ended = new CompletableFuture<>();
        private final AtomicInteger inCall = new AtomicInteger();
        private final AtomicInteger overlaps = new AtomicInteger();
        private volatile boolean silenced;

        private void record(String call) {
            if (inCall.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            try {
                if (silenced) {
                    afterSilence.add(call);
                }
                calls.add(call);
            } finally {
                inCall.decrementAndGet();
            }
        }

        /** How many calls began while another was still running (never allowed). */
        public int overlaps() {
            return overlaps.get();
        }

        @Override
        public void onHeader(Header header) {
            record("header:" + header.raw());
        }

        @Override
        public void onText(String piece) {
            synchronized (text) {
                text.append(piece);
            }
            record("text:" + piece);
        }

        @Override
        public void onComplete(ChatCompletion completion) {
            record("complete:" + completion.text());
            ended.complete(completion);
        }

        @Override
        public void onError(Chat852Exception error) {
            record("error:" + error.getClass().getSimpleName());
            ended.complete(error);
        }

        /** From now on, calls are also listed in {@link #callsAfterSilence()}. */
        public void silence() {
            silenced = true;
        }

        public List<String> calls() {
            synchronized (calls) {
                return new ArrayList<>(calls);
            }
        }

        public List<String> callsAfterSilence() {
            synchronized (afterSilence) {
                return new ArrayList<>(afterSilence);
            }
        }

        public String text() {
            synchronized (text) {
                return text.toString();
            }
        }

        public ChatCompletion awaitCompletion() throws InterruptedException {
            Object end = awaitEnd();
            if (end instanceof Throwable) {
                throw new AssertionError("the call failed: " + end, (Throwable) end);
            }
            return (ChatCompletion) end;
        }

        public Chat852Exception awaitError() throws InterruptedException {
            Object end = awaitEnd();
            if (!(end instanceof Chat852Exception)) {
                fail("expected the call to fail, but it completed: " + end);
            }
            return (Chat852Exception) end;
        }

        private Object awaitEnd() throws InterruptedException {
            try {
                return ended.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("the listener got neither onComplete nor onError within " + WAIT.toMillis()
                        + " ms; calls: " + calls(), e);
            }
        }

        @Override
        public String toString() {
            return "calls: " + calls();
        }
    }

    /** Requests one event at a time, from another thread a moment later, and checks demand is never exceeded. */
    private static final class OneAtATime implements Flow.Subscriber<ChatEvent> {
        final AtomicLong requested = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final List<ChatEvent> events = Collections.synchronizedList(new ArrayList<>());
        final List<String> violations = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final ScheduledExecutorService requester;
        private volatile Flow.Subscription subscription;

        OneAtATime(ScheduledExecutorService requester) {
            this.requester = requester;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            if (subscription != null) {
                violations.add("onSubscribe called twice");
            }
            subscription = s;
            requestOne();
        }

        private void requestOne() {
            requested.incrementAndGet();
            subscription.request(1);
        }

        @Override
        public void onNext(ChatEvent event) {
            long n = received.incrementAndGet();
            if (n > requested.get()) {
                violations.add("onNext #" + n + " with only " + requested.get() + " requested: " + event);
            }
            if (done.isDone()) {
                violations.add("onNext after the end: " + event);
            }
            events.add(event);
            requester.schedule(this::requestOne, 2, TimeUnit.MILLISECONDS);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            if (!done.complete(null)) {
                violations.add("terminal signal twice");
            }
        }
    }
}
