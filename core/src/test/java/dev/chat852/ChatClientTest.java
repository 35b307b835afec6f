package dev.chat852;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.FakeTransport.FakeExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The client over a hand-driven transport: request encoding, flow control, errors, timeouts, metrics. */
class ChatClientTest {
    private static final String TOKEN = "sk-unit-test-secret-9f8e7d";
    private static final Duration GC_WAIT = Duration.ofSeconds(10);
    private final FakeTransport transport = new FakeTransport();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ChatClient client = ChatClient.builder()
            .transport(transport)
            .baseUrl("http://127.0.0.1:9/")
            .token(TOKEN)
            .meterRegistry(registry)
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

    @Test
    void theRequestBodyCarriesModelTokenMessagesAndParamsWithStreamSetByTheCall() {
        client.stream(ChatRequest.builder().model(Models.GPT_4).system("be brief").user("你好")
                .param("temperature", 0.5).param("response_format", Map.of("type", "text")).build());
        FakeExchange e = transport.last();
        JsonNode body = json(e.body());
        assertThat(e.request.uri()).hasToString("http://127.0.0.1:9/api/light/chat/createChatCompletion");
        assertThat(e.request.headers()).containsEntry("Content-Type", "application/json")
                .containsEntry("Accept", "text/event-stream");
        assertThat(body.get("model").asText()).isEqualTo("gpt-4");
        assertThat(body.get("token").asText()).isEqualTo(TOKEN);
        assertThat(body.get("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"be brief\"},{\"role\":\"user\",\"content\":\"你好\"}]");
        assertThat(body.get("params").toString())
                .isEqualTo("{\"n\":1,\"temperature\":0.5,\"response_format\":{\"type\":\"text\"},\"stream\":true}");

        client.completeAsync(ChatRequest.of("hi"));
        assertThat(json(transport.last().body()).at("/params/stream").asBoolean()).isFalse();
        assertThat(json(transport.last().body()).get("model").asText()).isEqualTo(Models.GPT_3_5_TURBO_1106);
    }

    @Test
    void settingStreamAsAParamIsRejectedWithAnExplanation() {
        assertThatThrownBy(() -> ChatRequest.builder().param("stream", false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("complete(");
    }

    @Test
    void aRequestWithoutMessagesIsRejected() {
        assertThatThrownBy(() -> ChatRequest.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least one message");
    }

    @Test
    void aBaseUrlThatIsNotHttpIsRejectedAndNamed() {
        assertThatThrownBy(() -> ChatClient.builder().transport(transport).baseUrl("ftp://x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ftp://x");
    }

    @Test
    void nothingIsReadFromTheTransportBeforeAConsumerAsks() {
        ChatStream stream = client.stream("hi");
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("start852{}end852hello").read(" world").complete();
        assertThat(e.totalRequested).isZero();
        assertThat(e.pendingReads()).isEqualTo(3);
        assertThat(stream.completion().join().text()).isEqualTo("hello world");
    }

    @Test
    void aSubscriberGetsNoMoreEventsThanItRequestedAndReadsFollowDemand() {
        ChatStream stream = client.stream("hi");
        FakeExchange e = transport.last();
        e.respond(200, "text/plain; charset=utf-8").read("start852{\"a\":1}end852one").read("two").read("three")
                .complete();
        List<ChatEvent> got = new CopyOnWriteArrayList<>();
        Flow.Subscription[] sub = new Flow.Subscription[1];
        boolean[] completed = {false};
        stream.subscribe(new Flow.Subscriber<>() {
            public void onSubscribe(Flow.Subscription s) {
                sub[0] = s;
            }

            public void onNext(ChatEvent item) {
                got.add(item);
            }

            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            public void onComplete() {
                completed[0] = true;
            }
        });
        assertThat(got).isEmpty();
        sub[0].request(1);
        assertThat(got).singleElement().isInstanceOf(ChatEvent.HeaderReceived.class);
        assertThat(e.pendingReads()).as("one read taken: header and 'one'").isEqualTo(3);
        sub[0].request(1);
        assertThat(got).hasSize(2).last().isEqualTo(new ChatEvent.TextDelta("one"));
        assertThat(e.pendingReads()).as("no read ahead while the consumer holds back").isEqualTo(3);
        sub[0].request(Long.MAX_VALUE);
        assertThat(got).hasSize(5);
        assertThat(got.get(4)).isInstanceOf(ChatEvent.Completed.class);
        assertThat(completed[0]).isTrue();
    }

    @Test
    void aListenerHearsHeaderTextAndCompletionInOrder() {
        ChatStream stream = client.stream("hi");
        List<String> calls = new ArrayList<>();
        stream.listen(new ChatListener() {
            public void onHeader(dev.chat852.wire.Header header) {
                calls.add("header " + header.dailyCallsUsed().orElse(-1));
            }

            public void onText(String text) {
                calls.add("text " + text);
            }

            public void onComplete(ChatCompletion completion) {
                calls.add("complete " + completion.text());
            }
        });
        transport.last().respond(200, "text/event-stream").read("start852{\"numOfOneDayAlreadyCallApi\":3}end").read("852你")
                .read("好undefined").complete();
        assertThat(calls).containsExactly("header 3", "text 你", "text 好", "complete 你好");
    }


    @Test
    void aRequestThatDoesNotKeepTheTextStillDeliversEveryPieceAndCompletesWithEmptyText() {
        ChatStream stream = client.stream(ChatRequest.builder().user("hi").keepText(false).build());
        List<String> pieces = new ArrayList<>();
        stream.listen(pieces::add);
        FakeExchange e = transport.last();
        e.respond(200, "text/event-stream").read("start852{\"numOfOneDayAlreadyCallApi\":3}end852你").read("好");
        assertThat(stream.received().text()).isEmpty();
        e.read("!undefined").complete();
        ChatCompletion done = stream.completion().join();
        assertThat(pieces).containsExactly("你", "好", "!");
        assertThat(done.text()).isEmpty();
        assertThat(done.finished()).isTrue();
        assertThat(done.headers()).hasSize(1);
        assertThat(done.bytesReceived()).isEqualTo("start852{\"numOfOneDayAlreadyCallApi\":3}end852你好!undefined"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        assertThat(ChatRequest.builder().user("hi").keepText(false).build().toBuilder().build().keepText()).isFalse();
        assertThat(ChatRequest.of("hi").keepText()).as("the default").isTrue();
    }
    @Test
    void theBlockingTextStreamYieldsPiecesAndClosingItCancelsTheCall() {
        ChatStream stream = client.stream("hi");
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("a").read("b").read("c");
        try (var text = stream.text()) {
            assertThat(text.limit(2).collect(Collectors.joining())).isEqualTo("ab");
        }
        assertThat(e.cancelled).isTrue();
        assertThat(stream.received().text()).as("the iterator asks for one event ahead").isEqualTo("abc");
        assertThat(stream.completion()).isCompletedExceptionally();
        assertThat(registry.get("chat852.requests").tag("outcome", "cancelled").counter().count()).isEqualTo(1);
    }

    @Test
    void aSecondConsumerIsRejected() {
        ChatStream stream = client.stream("hi");
        stream.listen(text -> { });
        assertThatThrownBy(stream::events).isInstanceOf(IllegalStateException.class).hasMessageContaining("consumed once");
    }

    @Test
    void anApiErrorOnHttp200IsTypedWithCodeAndServerMessage() {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "application/json;charset=UTF-8")
                .read("{\"code\":401,\"message\":\"token无效\",\"data\":null}").complete();
        assertThat(failure(stream.completion())).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("token无效");
            assertThat(e.httpStatus()).isEqualTo(200);
        });
        assertThat(registry.get("chat852.requests").tag("outcome", "api_error").counter().count()).isEqualTo(1);
    }

    @Test
    void anHttpErrorWithATextBodyKeepsStatusAndExcerpt() {
        ChatStream stream = client.stream("hi");
        transport.last().respond(502, "text/html").read("<h1>Bad gateway</h1>").complete();
        assertThat(failure(stream.completion())).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.bodyExcerpt()).isEqualTo("<h1>Bad gateway</h1>");
        });
    }

    @Test
    void aNonStreamAnswerIsReadFromTheDocumentedWrapper() {
        CompletableFuture<ChatCompletion> f = client.completeAsync(ChatRequest.of("hi"));
        transport.last().respond(200, "application/json").read("{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":"
                + "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"你好！\"}}]},\"info\":{\"sdLimitCount\":10}}}").complete();
        ChatCompletion c = f.join();
        assertThat(c.text()).isEqualTo("你好！");
        assertThat(c.header().orElseThrow().sdLimitCount()).hasValue(10);
        assertThat(c.raw().orElseThrow().get("object").asText()).isEqualTo("chat.completion");
        assertThat(c.finished()).isTrue();
    }

    @Test
    void aTransportFailureMidStreamKeepsTheTextReceivedBeforeIt() {
        ChatStream stream = client.stream("hi");
        Heard heard = Heard.listenTo(stream);
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("partial ");
        e.fail(new java.io.IOException("Connection reset"));
        assertThat(heard.text).hasToString("partial ");
        assertThat(heard.errors).singleElement().isInstanceOf(TransportException.class)
                .extracting(Throwable::getMessage).asString().contains("after 8 bytes", "Connection reset");
        assertThat(stream.received().text()).isEqualTo("partial ");
        assertThat(stream.received().finished()).isFalse();
    }

    @Test
    void aStreamedAnswerLongerThanTheBoundFailsAfterDeliveringTheTextThatFitsAndClosesTheConnection() {
        try (ChatClient bounded = clientWithMaxAnswerBytes(10)) {
            ChatStream stream = bounded.stream("hi");
            Heard heard = Heard.listenTo(stream);
            FakeExchange e = transport.last();
            e.respond(200, "text/plain").read("1234").read("567890abc").read("never read");
            assertThat(heard.text).hasToString("1234567890");
            assertThat(heard.errors).singleElement().isExactlyInstanceOf(Chat852Exception.class)
                    .extracting(Throwable::getMessage).asString().contains("10 bytes", "maxAnswerBytes");
            assertThat(e.cancelled).as("the connection is closed").isTrue();
            assertThat(stream.received().text()).isEqualTo("1234567890");
            assertThat(stream.received().finished()).isFalse();
        }
    }

    @Test
    void anAnswerOfExactlyTheBoundIsRead() {
        try (ChatClient bounded = clientWithMaxAnswerBytes(10)) {
            ChatStream stream = bounded.stream("hi");
            CompletableFuture<ChatCompletion> done = stream.completion();
            transport.last().respond(200, "text/plain").read("12345").read("67890").complete();
            assertThat(done.join().text()).isEqualTo("1234567890");
        }
    }

    @Test
    void aWholeAnswerLongerThanTheBoundFailsWithoutReadingItAll() {
        try (ChatClient bounded = clientWithMaxAnswerBytes(64)) {
            CompletableFuture<ChatCompletion> f = bounded.completeAsync(ChatRequest.of("hi"));
            FakeExchange e = transport.last();
            e.respond(200, "application/json").read("{\"code\":200,\"data\":{\"completion\":").read("x".repeat(64));
            assertThat(failure(f)).isExactlyInstanceOf(Chat852Exception.class).hasMessageContaining("64 bytes");
            assertThat(e.cancelled).isTrue();
        }
    }

    @Test
    void aBoundOfZeroOrLessIsRejectedWithItsValue() {
        assertThatThrownBy(() -> ChatClient.builder().maxAnswerBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAnswerBytes", "0");
    }

    @Test
    void aProtocolErrorEndsTheStreamAfterTheTextBeforeIt() {
        ChatStream stream = client.stream("hi");
        stream.completion();
        transport.last().respond(200, "text/plain").read("text start852{unterminated").complete();
        assertThat(failure(stream.completion())).isInstanceOf(ProtocolException.class);
        assertThat(stream.received().text()).isEqualTo("text ");
    }

    @Test
    void noResponseWithinTheFirstByteTimeoutFailsTheCallAndCancelsTheExchange() {
        ChatStream stream = client.stream(ChatRequest.builder().user("hi").firstByteTimeout(Duration.ofMillis(50)).build());
        assertThat(failure(stream.completion())).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE));
        assertThat(transport.last().cancelled).isTrue();
    }

    @Test
    void aPauseLongerThanTheIdleTimeoutWhileTheConsumerWaitsFailsTheCall() {
        ChatStream stream = client.stream(ChatRequest.builder().user("hi").idleTimeout(Duration.ofMillis(100)).build());
        CompletableFuture<ChatCompletion> f = stream.completion();
        transport.last().respond(200, "text/plain").read("first ");
        assertThat(failure(f)).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE));
        assertThat(stream.received().text()).isEqualTo("first ");
    }

    @Test
    void theIdleTimeoutDoesNotRunWhileTheConsumerHoldsBack() throws Exception {
        ChatStream stream = client.stream(ChatRequest.builder().user("hi").idleTimeout(Duration.ofMillis(50)).build());
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("a").read("b").complete();
        Thread.sleep(200); // longer than the idle timeout, with no demand: our own back-pressure, not a stall
        assertThat(stream.completion().get(5, TimeUnit.SECONDS).text()).isEqualTo("ab");
    }

    @Test
    void cancelStopsTheExchangeAndTellsSubscribersButNotListeners() {
        ChatStream listened = client.stream("hi");
        List<Object> calls = new ArrayList<>();
        listened.listen(new ChatListener() {
            public void onText(String t) {
                calls.add(t);
            }

            public void onError(Chat852Exception error) {
                calls.add(error);
            }
        });
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("a");
        listened.cancel();
        e.read("b");
        assertThat(e.cancelled).isTrue();
        assertThat(calls).containsExactly("a");

        ChatStream streamed = client.stream("hi");
        var events = streamed.events().iterator();
        streamed.cancel();
        assertThatThrownBy(events::hasNext).isInstanceOf(CancellationException.class);
    }

    @Test
    void metricsRecordOutcomeTimingsBytesAndChunksTaggedByModelAndTransport() {
        ChatStream stream = client.stream(ChatRequest.builder().model("gpt-4").user("hi").build());
        transport.last().respond(200, "text/plain").read("start852{}end852").read("hello").complete();
        stream.completion().join();
        var tags = new String[] {"model", "gpt-4", "transport", "fake"};
        assertThat(registry.get("chat852.requests").tags(tags).tag("outcome", "success").counter().count()).isEqualTo(1);
        assertThat(registry.get("chat852.time.to.first.byte").tags(tags).timer().count()).isEqualTo(1);
        assertThat(registry.get("chat852.time.to.first.text").tags(tags).timer().count()).isEqualTo(1);
        assertThat(registry.get("chat852.stream.duration").tags(tags).timer().count()).isEqualTo(1);
        assertThat(registry.get("chat852.response.bytes").tags(tags).summary().totalAmount()).isEqualTo(21);
        assertThat(registry.get("chat852.response.chunks").tags(tags).summary().totalAmount()).isEqualTo(2);
    }

    @Test
    void theTokenAppearsInNoToStringOrMessage() {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "application/json").read("{\"code\":401,\"message\":\"bad token\"}").complete();
        Throwable failure = failure(stream.completion());
        String everything = client + " " + stream + " " + transport.last().request + " " + failure + " "
                + ChatRequest.of("x") + " " + stream.received();
        assertThat(everything).doesNotContain(TOKEN).contains("fake");
    }

    @Test
    void aStreamsToStringSaysItsModelTransportStatusBytesAndWhetherItEnded() {
        ChatStream stream = client.stream(ChatRequest.builder().model("gpt-4").user("hi").build());
        assertThat(stream).hasToString("ChatStream{model=gpt-4, transport=fake, status=-1, bytes=0, done=false}");
        transport.last().respond(200, "text/plain").read("start852{}end852").read("hello").complete();
        stream.completion().join();
        assertThat(stream).hasToString("ChatStream{model=gpt-4, transport=fake, status=200, bytes=21, done=true}");
    }

    @Test
    void closingTheClientFailsItsRunningCallsAndClosesTheirConnections() {
        ChatStream stream = client.stream("hi");
        CompletableFuture<ChatCompletion> f = stream.completion();
        transport.last().respond(200, "text/plain").read("so far");
        client.close();
        assertThat(failure(f)).isInstanceOf(TransportException.class).hasMessageContaining("closed");
        assertThat(transport.last().cancelled).isTrue();
        assertThat(stream.received().text()).isEqualTo("so far");
    }

    @Test
    void aClosedClientRefusesNewCallsButLeavesAGivenTransportOpen() {
        client.close();
        assertThatThrownBy(() -> client.stream("hi")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(transport.closed).isFalse();
    }

    /** A client like {@link #client}, on the same transport, with a smaller answer bound. */
    private ChatClient clientWithMaxAnswerBytes(int max) {
        return ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9/").token(TOKEN)
                .maxAnswerBytes(max).build();
    }

    @Test
    void aStreamDroppedUnreadIsCancelledOnceCollectedAndItsConnectionClosed() throws Exception {
        WeakReference<ChatStream> dropped = new WeakReference<>(client.stream("hi"));
        FakeExchange e = transport.last();
        e.respond(200, "text/plain");

        await("the exchange of a stream nobody can read any more to be cancelled").atMost(GC_WAIT)
                .pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    System.gc();
                    assertThat(e.cancelled).as(dropped.get() == null ? "the stream was collected"
                            : "the stream was not collected").isTrue();
                });
    }

    @Test
    void aStreamDroppedAfterItsListenerWasAttachedKeepsGoing() throws Exception {
        Heard[] heard = new Heard[1];
        WeakReference<ChatStream> dropped = new WeakReference<>(listened(heard));
        await("the dropped stream to be collected").atMost(GC_WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            System.gc();
            return dropped.get() == null;
        });
        Thread.sleep(100); // time for the cleaner to run, were it to cancel

        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("still here").complete();
        assertThat(heard[0].text).hasToString("still here");
        assertThat(e.cancelled).isFalse();
    }

    @Test
    void anEndedCallIsFreedByTheFirstCollectionAfterItsStreamIsDropped() throws Exception {
        WeakReference<ChatCompletion> completion = completionOfADroppedStream();
        transport.exchanges.clear(); // the fake keeps its exchanges, which refer to the call

        System.gc(); // one collection: were the dropped-stream cleaner still registered, it would hold the call

        assertThat(completion.get()).as("the ended call's completion, kept by nothing but the dropped stream")
                .isNull();
    }

    @Test
    void aCallThatEndedBeforeItsStreamWasMadeIsFreedByTheFirstCollectionAfterTheStreamIsDropped() {
        transport.failOnExecute = new IOException("Connection refused");
        WeakReference<Throwable> failure = failureOfADroppedStream();
        transport.exchanges.clear();

        System.gc();

        assertThat(failure.get()).as("the failure of a call that ended while it was being started").isNull();
    }

    private WeakReference<Throwable> failureOfADroppedStream() {
        ChatStream stream = client.stream("hi");
        Throwable thrown = catchThrowable(() -> stream.completion().get(5, TimeUnit.SECONDS));
        assertThat(thrown).isInstanceOf(ExecutionException.class).cause().isInstanceOf(TransportException.class)
                .hasMessageContaining("Connection refused");
        return new WeakReference<>(thrown.getCause());
    }

    private WeakReference<ChatCompletion> completionOfADroppedStream() throws Exception {
        Heard[] heard = new Heard[1];
        ChatStream stream = listened(heard);
        transport.last().respond(200, "text/plain").read("done").complete();
        ChatCompletion done = stream.completion().get(5, TimeUnit.SECONDS);
        assertThat(done.text()).isEqualTo("done");
        assertThat(heard[0].text).hasToString("done");
        return new WeakReference<>(done);
    }

    private ChatStream listened(Heard[] heard) {
        ChatStream stream = client.stream("hi");
        heard[0] = Heard.listenTo(stream);
        return stream;
    }

    /** What a listener heard: the text, and the errors. */
    static final class Heard {
        final StringBuilder text = new StringBuilder();
        final List<Chat852Exception> errors = new ArrayList<>();

        static Heard listenTo(ChatStream stream) {
            Heard heard = new Heard();
            stream.listen(new ChatListener() {
                public void onText(String t) {
                    heard.text.append(t);
                }

                public void onError(Chat852Exception error) {
                    heard.errors.add(error);
                }
            });
            return heard;
        }
    }

    static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected a failure");
    }
}
