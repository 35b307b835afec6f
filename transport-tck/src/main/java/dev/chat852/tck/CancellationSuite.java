package dev.chat852.tck;

import static dev.chat852.tck.Tck.BODY;
import static dev.chat852.tck.Tck.BODY_BYTES;
import static dev.chat852.tck.Tck.HEADER_BLOCK;
import static dev.chat852.tck.Tck.HEADER_JSON;
import static dev.chat852.tck.Tck.PART;
import static dev.chat852.tck.Tck.TEXT;
import static dev.chat852.tck.Tck.await;
import static dev.chat852.tck.Tck.failureOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/**
 * Cancellation and pools: cancelling, closing a stream early, closing the transport or the client
 * mid-call each close the connection and end the call; calls after any of them still work; and closing
 * everything leaves no thread or connection behind.
 */
abstract class CancellationSuite extends TckCase {
    /** How long an endless drip of text lasts in recorded time: far beyond any case's timeout. */
    private static final long ENDLESS_MS = Duration.ofMinutes(10).toMillis();

    CancellationSuite(TransportTck tck) {
        super(tck);
    }

    @Test
    void cancelMidStreamClosesTheConnectionAndSilencesTheListener() throws Exception {
        long drips = ENDLESS_MS / 10; // one 滴 every 10 ms
        enqueue(Tck.repeat(RecordedResponse.builder().chunk(0, HEADER_BLOCK), "滴".getBytes(UTF_8), drips, 0, 10)
                .build());
        RecordingListener listener = new RecordingListener();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        org.awaitility.Awaitility.await("some text").atMost(Tck.WAIT).until(() -> listener.text().length() >= 3);
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
    void closingTheBlockingStreamEarlyClosesTheConnection() throws Exception {
        enqueue(TimeoutsSuite.stallingAfter(HEADER_BLOCK + PART));

        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<ChatEvent> events = stream.events()) {
            Iterator<ChatEvent> it = events.iterator();
            assertThat(it.next()).isInstanceOf(ChatEvent.HeaderReceived.class);
            assertThat(it.next()).isInstanceOf(ChatEvent.TextDelta.class);
        }

        awaitTheOnlyConnectionClosedByClient();
        assertConnectionsReleased();
    }

    @Test
    void closingTheTransportFailsARunningCallInsteadOfLeavingItHanging() throws Exception {
        enqueue(TimeoutsSuite.stallingAfter(HEADER_BLOCK + PART));
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        org.awaitility.Awaitility.await("the text").atMost(Tck.WAIT).until(() -> listener.text().equals(PART));
        transport.close();

        assertThat(listener.awaitError()).isInstanceOf(Chat852Exception.class);
        awaitTheOnlyConnectionClosedByClient();
    }

    @Test
    void cancelBeforeTheResponseClosesTheConnectionAndSignalsCancellationToTheSubscriber() throws Exception {
        enqueue(TimeoutsSuite.stallingBeforeTheStatus());
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
        takeRequest();
        stream.cancel();

        assertThat(signalled.get(Tck.WAIT.toMillis(), TimeUnit.MILLISECONDS)).isInstanceOf(CancellationException.class);
        assertThat(events).isEmpty();
        awaitClosedByClient(0);
        assertConnectionsReleased();
    }

    @Test
    void closingTheClientFailsItsRunningCallsAlsoOnATransportItDoesNotOwn() throws Exception {
        enqueue(TimeoutsSuite.stallingAfter(HEADER_BLOCK + PART));

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        CompletableFuture<ChatCompletion> completion = stream.completion();
        org.awaitility.Awaitility.await("the text").atMost(Tck.WAIT).until(() -> stream.received().text().equals(PART));
        client.close(); // the kit's transport was passed to the builder, so the client does not close it

        // ChatClient.close() documents "Calls still running fail"; a call left running would also have lost
        // its timeouts with the client's timer, and hang for as long as the server stalls.
        try {
            completion.get(Tck.CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            fail("the call completed normally although the server never finished the body");
        } catch (ExecutionException | CancellationException e) {
            // failed, as documented
        } catch (TimeoutException e) {
            fail("ChatClient.close() left a call running on a transport it does not own (still running "
                    + Tck.CLOSE_WAIT.toMillis() + " ms later; the client's timeouts stopped with its timer); core:"
                    + " ChatClient.close() neither fails running calls nor cancels their exchanges");
        }
    }

    @Test
    void sequentialCallsAllSucceedWhateverHappenedToThePreviousConnection() throws Exception {
        String json = Tck.wholeAnswer("整段", HEADER_JSON);
        enqueue(Tck.stream(BODY, 32))
                .enqueue(Tck.json(200, json))
                .enqueue(TimeoutsSuite.stallingAfter(HEADER_BLOCK + PART))
                .enqueue(Tck.json(200, "{\"code\":429,\"message\":\"次数用完\",\"data\":null}"))
                .enqueue(MockResponse.builder(Tck.stream(BODY_BYTES, 50, 0))
                        .framing(MockResponse.Framing.CONTENT_LENGTH).build())
                .enqueue(MockResponse.builder(Tck.stream(BODY_BYTES, 50, 0)).framing(MockResponse.Framing.CLOSE).build())
                .enqueue(Tck.stream(BODY, 7));

        assertThat(await(client.stream("一").completion()).text()).isEqualTo(TEXT);
        assertThat(client.complete(ChatRequest.of("二")).text()).isEqualTo("整段");
        try (ChatStream cancelled = client.stream("三"); Stream<String> text = cancelled.text()) {
            assertThat(text.findFirst()).hasValue(PART);
        }
        assertThat(failureOf(client.stream("四").completion())).isInstanceOf(ApiException.class);
        assertThat(await(client.stream("五").completion()).text()).as("a Content-Length body").isEqualTo(TEXT);
        assertThat(await(client.stream("六").completion()).text()).as("a close-delimited body").isEqualTo(TEXT);
        assertThat(await(client.stream("七").completion()).text()).isEqualTo(TEXT);

        assertThat(server.requests()).extracting(r -> r.json().path("messages").path(0).path("content").asText())
                .containsExactly("一", "二", "三", "四", "五", "六", "七");
        assertConnectionsReleased();
    }

    @Test
    void closingClientAndTransportLeavesNoThreadsOrConnectionsBehind() throws Exception {
        route(Map.of(
                "whole", Tck.json(200, Tck.wholeAnswer("整段", "null")),
                "stall", TimeoutsSuite.stallingAfter(HEADER_BLOCK + PART)),
                MockResponse.of(Tck.stream(BODY_BYTES, 24, 1)));
        useAndClose(); // warm-up: classes loaded, lazily started JVM and library threads running
        awaitWithGc("the warm-up's connections to be closed",
                () -> assertThat(openConnections()).as("open: %s", server.connections()).isZero());
        Set<Thread> baseline = new HashSet<>(Thread.getAllStackTraces().keySet());

        for (int round = 0; round < 3; round++) {
            useAndClose();
        }

        awaitWithGc("the threads the transports started to end",
                () -> assertThat(newThreads(baseline)).as("still running").isEmpty());
        awaitWithGc("the server to see every connection closed",
                () -> assertThat(openConnections()).as("open: %s", server.connections()).isZero());
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.matched()).as("%s answered", r).isPresent());
    }

    /** One transport and client: streams, a whole answer, a cancel, concurrent calls; then both closed. */
    private void useAndClose() throws Exception {
        Transport t = tck.newTransport();
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
            assertReleased(t);
        } finally {
            t.close();
        }
    }

    /**
     * Waits for {@code condition}, asking for a garbage collection between checks: for resources that
     * are released when their owner becomes unreachable (the JDK 17 {@code HttpClient} stops its selector
     * thread and closes its pooled connections only then).
     */
    private static void awaitWithGc(String what, ThrowingRunnable assertion) {
        org.awaitility.Awaitility.await(what).atMost(Tck.CLOSE_WAIT).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> {
                    System.gc();
                    assertion.run();
                });
    }

    private List<String> newThreads(Set<Thread> baseline) {
        List<String> names = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive() && !baseline.contains(t) && !tck.isUnrelatedThread(t)) {
                names.add(t.getName() + (t.isDaemon() ? " (daemon)" : ""));
            }
        }
        return names;
    }
}
