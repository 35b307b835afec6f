package dev.chat852;

import static dev.chat852.ChatClientTest.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat852.FakeTransport.FakeExchange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retries before the first byte of the answer, over the hand-driven transport. */
class ChatClientRetryTest {
    private final FakeTransport transport = new FakeTransport();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private ChatClient client = client(2, Duration.ZERO);

    private ChatClient client(int retries, Duration backoff) {
        return ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9/").token("t")
                .meterRegistry(registry).retries(retries).retryBackoff(backoff).build();
    }

    @AfterEach
    void close() {
        client.close();
    }

    /** The next attempt starts on the client's timer thread: wait for its exchange. */
    private FakeExchange exchange(int index) {
        await("attempt " + index).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertThat(transport.exchanges).as("exchanges").hasSizeGreaterThan(index));
        return transport.exchanges.get(index);
    }

    @Test
    void a503IsRetriedAndTheAnswerIsTheSecondAttemptsAlone() throws Exception {
        ChatStream stream = client.stream("你好");
        FakeExchange first = exchange(0);
        first.respond(503, "text/plain");
        FakeExchange second = exchange(1);
        second.respond(200, "text/plain").read("答案").complete();

        assertThat(stream.completion().get(10, TimeUnit.SECONDS).text()).isEqualTo("答案");
        assertThat(first.cancelled).as("the refused attempt's connection is closed").isTrue();
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(registry.get("chat852.requests").counter().count()).as("one call, one outcome").isEqualTo(1);
    }

    @Test
    void whatAnEarlierAttemptsExchangeStillSaysIsIgnored() throws Exception {
        ChatStream stream = client.stream("hi");
        FakeExchange first = exchange(0);
        first.fail(new IOException("connection reset"));
        FakeExchange second = exchange(1);
        first.handler.onResponse(200, Map.of("content-type", List.of("text/plain")));
        first.handler.onBody(ByteBuffer.wrap("stale ".getBytes(StandardCharsets.UTF_8)));
        first.handler.onError(new IOException("late"));
        first.handler.onComplete();
        second.respond(200, "text/plain").read("fresh").complete();

        assertThat(stream.completion().get(10, TimeUnit.SECONDS).text()).isEqualTo("fresh");
    }

    @Test
    void retriesStopAtTheLimitAndTheLastFailureIsReported() throws Exception {
        ChatStream stream = client.stream("hi");
        exchange(0).respond(503, "text/plain");
        exchange(1).respond(502, "text/plain");
        exchange(2).respond(429, "text/plain").read("slow down").complete();

        assertThat(failure(stream.completion())).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.bodyExcerpt()).isEqualTo("slow down");
        });
        assertThat(transport.exchanges).hasSize(3);
    }

    @Test
    void withoutRetriesA503FailsAtOnce() {
        client.close();
        client = client(0, Duration.ZERO);
        ChatStream stream = client.stream("hi");
        transport.last().respond(503, "text/plain").complete();

        assertThat(failure(stream.completion())).isInstanceOf(HttpStatusException.class);
        assertThat(transport.exchanges).hasSize(1);
    }

    @Test
    void otherStatusesAreNotRetried() {
        for (int status : new int[] {400, 401, 404, 500}) {
            int before = transport.exchanges.size();
            ChatStream stream = client.stream("hi");
            transport.last().respond(status, "text/plain").complete();
            assertThat(failure(stream.completion())).as("HTTP %d", status).isInstanceOf(HttpStatusException.class);
            assertThat(transport.exchanges).as("HTTP %d", status).hasSize(before + 1);
        }
    }

    @Test
    void aConnectionLostBeforeTheResponseOrAConnectTimeoutIsRetried() throws Exception {
        ChatStream stream = client.stream("hi");
        exchange(0).fail(new IOException("Connection refused"));
        exchange(1).fail(new ChatTimeoutException(ChatTimeoutException.Kind.CONNECT, Duration.ofSeconds(1)));
        exchange(2).respond(200, "text/plain").read("ok").complete();

        assertThat(stream.completion().get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
    }

    @Test
    void aResponseThatEndsBeforeItsStatusLineIsRetried() throws Exception {
        ChatStream stream = client.stream("hi");
        exchange(0).complete();
        exchange(1).respond(200, "text/plain").read("ok").complete();

        assertThat(stream.completion().get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
    }

    @Test
    void aFirstByteTimeoutIsNotRetried() {
        ChatStream stream = client.stream(ChatRequest.builder().user("hi").firstByteTimeout(Duration.ofMillis(50)).build());

        assertThat(failure(stream.completion())).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE));
        assertThat(transport.exchanges).hasSize(1);
    }

    @Test
    void nothingIsRetriedOnceTheBodyHasStarted() {
        ChatStream stream = client.stream("hi");
        stream.completion();
        transport.last().respond(200, "text/plain").read("部分");
        transport.last().fail(new IOException("connection reset"));

        assertThat(failure(stream.completion())).isInstanceOf(TransportException.class);
        assertThat(stream.received().text()).isEqualTo("部分");
        assertThat(transport.exchanges).hasSize(1);
    }

    @Test
    void anApiErrorIsNotRetried() {
        ChatStream stream = client.stream("hi");
        transport.last().respond(200, "application/json").read("{\"code\":400,\"message\":\"token无效\"}").complete();

        assertThat(failure(stream.completion())).isInstanceOf(ApiException.class);
        assertThat(transport.exchanges).hasSize(1);
    }

    @Test
    void cancellingWhileWaitingToRetryEndsTheCallWithoutAnotherAttempt() throws Exception {
        client.close();
        client = client(2, Duration.ofMillis(300));
        ChatStream stream = client.stream("hi");
        transport.last().respond(503, "text/plain");
        stream.cancel();

        assertThatThrownBy(() -> stream.completion().get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        Thread.sleep(600); // past the backoff: the cancelled retry must not run
        assertThat(transport.exchanges).hasSize(1);
    }

    @Test
    void closingTheClientWhileACallWaitsToRetryFailsTheCall() {
        client.close();
        client = client(2, Duration.ofSeconds(30));
        ChatStream stream = client.stream("hi");
        transport.last().respond(503, "text/plain");
        client.close();

        assertThat(failure(stream.completion())).isInstanceOf(TransportException.class)
                .hasMessageContaining("closed");
        assertThat(transport.exchanges).hasSize(1);
    }

    @Test
    void theServersRetryAfterIsWaitedFor() throws Exception {
        ChatStream stream = client.stream("hi");
        long start = System.nanoTime();
        exchange(0).respond(429, Map.of("content-type", List.of("text/plain"), "retry-after", List.of("1")));
        exchange(1).respond(200, "text/plain").read("ok").complete();

        assertThat(System.nanoTime() - start).as("waited for Retry-After: 1").isGreaterThan(TimeUnit.MILLISECONDS.toNanos(950));
        assertThat(stream.completion().get(10, TimeUnit.SECONDS).text()).isEqualTo("ok");
    }

    @Test
    void aNegativeRetryCountOrBackoffIsRejectedWithItsValue() {
        assertThatThrownBy(() -> ChatClient.builder().retries(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> ChatClient.builder().retryBackoff(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryBackoff");
    }
}
