package dev.chat852;

import static dev.chat852.ChatClientTest.failure;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat852.ChatClientTest.Heard;
import dev.chat852.FakeTransport.FakeExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a call ends, and what its consumer, {@code completion()} and {@code received()} are told. */
class CallEndingsTest {
    private final FakeTransport transport = new FakeTransport();
    private final List<Runnable> callbacks = new ArrayList<>();
    private ChatClient client = builder().build();

    @AfterEach
    void close() {
        client.close();
    }

    private ChatClient.Builder builder() {
        return ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9/").token("t");
    }

    /** Replaces this test's client with one built by {@code b}. */
    private void rebuild(ChatClient.Builder b) {
        client.close();
        client = b.build();
    }

    @Test
    void aStreamThatFailsDeliversTheTextItHeldBackThenTheFailure() {
        ChatStream stream = client.stream("hi");
        Heard heard = Heard.listenTo(stream);
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("start852{\"a\":1}end852I like cats"); // the s could begin start852
        e.fail(new IOException("Connection reset"));

        assertThat(failure(stream.completion())).isInstanceOf(TransportException.class);
        assertThat(heard.text).hasToString("I like cats");
        assertThat(heard.errors).singleElement().isInstanceOf(TransportException.class);
        assertThat(stream.received().text()).isEqualTo("I like cats");
        assertThat(stream.received().finished()).isFalse();
    }

    @Test
    void aCharacterCutByAFailureBecomesAReplacementCharacter() throws IOException {
        ChatStream stream = client.stream("hi");
        Heard heard = Heard.listenTo(stream);
        ByteArrayOutputStream cut = new ByteArrayOutputStream();
        cut.write("答".getBytes(UTF_8));
        cut.write(0xE6); // the first byte of a three-byte character
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read(cut.toByteArray());
        e.fail(new IOException("Connection reset"));

        assertThat(failure(stream.completion())).isInstanceOf(TransportException.class);
        assertThat(heard.text).hasToString("答\uFFFD");
    }

    @Test
    void aCallCancelledWhileItsEventsWaitForTheCallbackExecutorDeliversNoneOfThem() {
        rebuild(builder().callbackExecutor(callbacks::add));
        ChatStream stream = client.stream("hi");
        Heard heard = Heard.listenTo(stream);
        runCallbacks(); // the subscription, and the first request for body
        transport.last().respond(200, "text/plain").read("queued text");

        stream.close(); // the text waits in the executor's queue
        runCallbacks();

        assertThat(heard.text).isEmpty();
        assertThat(stream.completion()).isCompletedExceptionally();
        assertThatThrownBy(stream.completion()::join).isInstanceOf(CancellationException.class);
        assertThat(transport.last().cancelled).isTrue();
    }

    private void runCallbacks() {
        while (!callbacks.isEmpty()) {
            callbacks.remove(0).run();
        }
    }

    @Test
    void closingAStreamThatEndedChangesNothing() throws Exception {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "text/plain").read("done").complete();
        assertThat(stream.text().collect(Collectors.joining())).isEqualTo("done");

        stream.close();

        assertThat(stream.completion().get(5, TimeUnit.SECONDS).text()).isEqualTo("done");
        assertThat(stream.received().finished()).isTrue();
        assertThat(transport.last().cancelled).isFalse();
    }

    @Test
    void receivedSaysFinishedOnlyOnceTheAnswerEndedNormally() {
        ChatStream stream = client.stream("hi");
        Heard.listenTo(stream);
        FakeExchange e = transport.last();
        e.respond(200, "text/plain").read("so far");

        assertThat(stream.received().text()).isEqualTo("so far");
        assertThat(stream.received().finished()).isFalse();
        e.complete();
        assertThat(stream.received().finished()).isTrue();
    }

    @Test
    void aStreamIsConsumedOnceWhicheverWayItIsConsumed() {
        ChatStream stream = client.stream("hi");
        Heard.listenTo(stream);

        assertThatThrownBy(() -> Heard.listenTo(stream)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(stream::events).isInstanceOf(IllegalStateException.class);
        List<Throwable> told = new ArrayList<>();
        stream.subscribe(new Flow.Subscriber<ChatEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
            }

            @Override
            public void onNext(ChatEvent item) {
            }

            @Override
            public void onError(Throwable t) {
                told.add(t);
            }

            @Override
            public void onComplete() {
            }
        });
        assertThat(told).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aWholeAnswerCarriesItsFinishReasonAndUsage() throws Exception {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "application/json").read("{\"code\":200,\"message\":\"ok\",\"data\":{\"completion\":"
                + "{\"id\":\"c1\",\"choices\":[{\"message\":{\"content\":\"答\"},\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}}}").complete();

        ChatCompletion done = stream.completion().get(5, TimeUnit.SECONDS);
        assertThat(done.text()).isEqualTo("答");
        assertThat(done.finishReason()).contains("length");
        assertThat(done.usage()).get().extracting(ChatCompletion.Usage::totalTokens).isEqualTo(4L);
    }

    @Test
    void aWholeAnswerWithoutThemHasNeither() throws Exception {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "application/json").read("{\"code\":200,\"message\":\"ok\",\"data\":{\"completion\":"
                + "{\"id\":\"c1\",\"choices\":[{\"message\":{\"content\":\"答\"},\"finish_reason\":null}]}}}").complete();

        ChatCompletion done = stream.completion().get(5, TimeUnit.SECONDS);
        assertThat(done.finishReason()).isEmpty();
        assertThat(done.usage()).isEmpty();
    }

    @Test
    void aReaderInterruptedWhileWaitingCancelsTheCallAndKeepsItsInterrupt() throws Exception {
        ChatStream stream = client.stream("hi");
        Iterator<String> text = stream.text().iterator();
        Throwable[] thrown = new Throwable[1];
        boolean[] stillInterrupted = new boolean[1];
        Thread reader = new Thread(() -> {
            try {
                text.hasNext();
            } catch (RuntimeException e) {
                thrown[0] = e;
                stillInterrupted[0] = Thread.currentThread().isInterrupted();
            }
        });
        reader.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> reader.getState() == Thread.State.WAITING);
        reader.interrupt();
        reader.join(10_000);

        assertThat(thrown[0]).isInstanceOf(CancellationException.class).hasMessageContaining("interrupted");
        assertThat(stillInterrupted[0]).isTrue();
        assertThat(transport.last().cancelled).isTrue();
    }

    @Test
    void withACallbackExecutorTheListenerHearsTheTextWhenTheExecutorRunsIt() {
        rebuild(builder().callbackExecutor(callbacks::add));
        ChatStream stream = client.stream("hi");
        Heard heard = Heard.listenTo(stream);
        runCallbacks();
        transport.last().respond(200, "text/plain").read("later");

        assertThat(heard.text).as("not on the transport's thread").isEmpty();
        runCallbacks();
        assertThat(heard.text).hasToString("later");
    }

    @Test
    void aCallbackExecutorThatRefusesWorkLeavesTheDeliveryToTheThreadAtHand() {
        rebuild(builder().callbackExecutor(task -> {
                    throw new RejectedExecutionException("shut down");
                }));
        ChatStream stream = client.stream("hi");
        Heard heard = Heard.listenTo(stream);
        transport.last().respond(200, "text/plain").read("still heard").complete();

        assertThat(heard.text).hasToString("still heard");
        assertThat(stream.completion()).isCompleted();
    }

    @Test
    void askingWhetherThereIsMoreTwiceGivesTheSamePiece() {
        ChatStream stream = client.stream("hi");
        Iterator<String> text = stream.text().iterator();
        transport.last().respond(200, "text/plain").read("one").complete();

        assertThat(text.hasNext()).isTrue();
        assertThat(text.hasNext()).isTrue();
        assertThat(text.next()).isEqualTo("one");
        assertThat(text.hasNext()).isFalse();
    }

    @Test
    void aConsumerThatPausesBetweenPiecesIsNotAnIdleServer() throws Exception {
        rebuild(builder().idleTimeout(Duration.ofMillis(100)));
        ChatStream stream = client.stream("hi");
        List<String> got = new CopyOnWriteArrayList<>();
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        stream.subscribe(new Flow.Subscriber<ChatEvent>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription[0] = s;
                s.request(1);
            }

            @Override
            public void onNext(ChatEvent event) {
                got.add(event.toString());
            }

            @Override
            public void onError(Throwable t) {
                got.add("error " + t);
            }

            @Override
            public void onComplete() {
                got.add("complete");
            }
        });
        transport.last().respond(200, "text/plain").read("one ").read("two").complete(); // each read waits for demand
        assertThat(got).hasSize(1);

        Thread.sleep(400); // the consumer's own pause: no read is outstanding, so no idle time counts
        subscription[0].request(Long.MAX_VALUE);

        assertThat(stream.completion().get(5, TimeUnit.SECONDS).text()).isEqualTo("one two");
        assertThat(got).last().isEqualTo("complete");
    }

    @Test
    void aWholeAnswerThatStallsAfterItsFirstPieceTimesOutAsIdle() {
        rebuild(builder().idleTimeout(Duration.ofMillis(100)));
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "application/json").read("{\"code\":200,"); // and then nothing

        assertThat(failure(stream.completion())).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE));
    }

    @Test
    void aFinishReasonOrAUsageAloneIsKept() throws Exception {
        ChatStream reasonOnly = client.stream("hi");
        transport.last().respond(200, "application/json").read(envelope("\"choices\":[{\"message\":{\"content\":\"a\"},"
                + "\"finish_reason\":\"stop\"}]")).complete();
        ChatStream usageOnly = client.stream("hi");
        transport.last().respond(200, "application/json").read(envelope("\"choices\":[{\"message\":{\"content\":\"b\"}}],"
                + "\"usage\":{\"total_tokens\":9}")).complete();

        ChatCompletion first = reasonOnly.completion().get(5, TimeUnit.SECONDS);
        assertThat(first.finishReason()).contains("stop");
        assertThat(first.usage()).isEmpty();
        ChatCompletion second = usageOnly.completion().get(5, TimeUnit.SECONDS);
        assertThat(second.finishReason()).isEmpty();
        assertThat(second.usage()).get().extracting(ChatCompletion.Usage::totalTokens).isEqualTo(9L);
    }

    private static String envelope(String completionFields) {
        return "{\"code\":200,\"message\":\"ok\",\"data\":{\"completion\":{\"id\":\"c\"," + completionFields + "}}}";
    }

    @Test
    void theTextStreamHoldsTheTextAloneWithoutTheHeaderBlocks() {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "text/plain").read("前 start852{\"a\":1}end852后").complete();

        assertThat(stream.text().collect(Collectors.toList())).containsExactly("前 ", "后");
    }
}
