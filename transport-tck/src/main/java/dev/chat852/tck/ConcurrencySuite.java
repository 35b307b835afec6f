package dev.chat852.tck;

import static dev.chat852.tck.Tck.HEADER_BLOCK;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatListener;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.mock.MockConnection;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.wire.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Concurrency and demand: many streams at once, each consumed its own way, get their own answers; and
 * a consumer that stops asking stops the transport reading, so the server's writes stall.
 */
abstract class ConcurrencySuite extends TckCase {

    ConcurrencySuite(TransportTck tck) {
        super(tck);
    }

    @Test
    void twoHundredConcurrentStreamsEachGetTheirOwnAnswer() throws Exception {
        int n = 200;
        Map<String, MockResponse> answers = new HashMap<>();
        for (int i = 0; i < n; i++) {
            answers.put("q-" + i, MockResponse.of(Tck.stream(concurrentBody(i), 7, 2)));
        }
        route(answers, null);
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
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.matched()).as("%s answered", r).isPresent());
        assertConnectionsReleased();
    }

    @Test
    void consumerThatStopsRequestingStopsTheClientFromReadingAhead() throws Exception {
        byte[] unit = new byte[16 * 1024];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = (byte) ('a' + i % 26);
        }
        long units = 4096; // 64 MiB, far more than socket buffers hold
        long total = HEADER_BLOCK.getBytes(UTF_8).length + units * unit.length;
        enqueue(MockResponse.builder(Tck.repeat(RecordedResponse.builder().chunk(0, HEADER_BLOCK), unit, units, 0, 0)
                .build()).sendBufferSize(256 * 1024).build());
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
        await("the first event").atMost(Tck.WAIT).until(() -> delivered.get() >= 1);
        await("the connection").atMost(Tck.WAIT).until(() -> !server.connections().isEmpty());
        MockConnection connection = server.connections().get(0);

        long written = awaitStalled(connection, Duration.ofSeconds(1), Tck.WAIT);
        long received = stream.received().bytesReceived();

        assertThat(written).as("body bytes the server could write (of %d) while the consumer asked for nothing",
                total).isLessThan(16L << 20);
        assertThat(received).as("body bytes handed to the client").isLessThan(4L << 20);
        assertThat(delivered.get()).isEqualTo(1);
        stream.cancel();
        awaitClosedByClient(0);
        assertConnectionsReleased();
    }

    private static String concurrentAnswer(int i) {
        return "第" + i + "个回答：" + "ü🙂你".repeat(i % 7 + 1) + " #" + i;
    }

    private static byte[] concurrentBody(int i) {
        return ("start852{\"i\":" + i + "}end852" + concurrentAnswer(i) + "undefined").getBytes(UTF_8);
    }
}
