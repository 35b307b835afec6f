package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatTimeoutException;
import dev.chat852.TransportException;
import dev.chat852.spi.TransportRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

/** Attempts, backoff and which failures qualify, with a hand-played transport and a hand-moved clock. */
class RetryingExchangeTest {
    private static final TransportRequest REQUEST = new TransportRequest(URI.create("http://127.0.0.1:9/x"), Map.of(),
            new byte[] {'{', '}'}, Duration.ZERO);
    private final ManualScheduler clock = new ManualScheduler();
    private final ScriptedTransport transport = new ScriptedTransport();
    private final RecordingHandler handler = new RecordingHandler();
    private final List<ChatTimeoutException> expired = new ArrayList<>();

    private RetryingExchange start(int retries, Duration backoff, Duration firstByte) {
        CallTimers timers = new CallTimers(clock.executor(), clock::nanoTime, firstByte, Duration.ZERO, expired::add);
        RetryingExchange exchange = new RetryingExchange(transport, REQUEST, new RetryPolicy(retries, backoff, RetryPolicy.NO_JITTER), timers, handler);
        exchange.start();
        return exchange;
    }

    private static Map<String, List<String>> headers(String... nameValue) {
        return nameValue.length == 0 ? Map.of() : Map.of(nameValue[0], List.of(nameValue[1]));
    }

    @Test
    void aRetryableStatusGivesUpTheAttemptAndOnlyTheNextAttemptsResponseReachesTheHandler() {
        start(2, Duration.ofMillis(100), Duration.ZERO);
        ScriptedTransport.Attempt first = transport.attempt(0);
        first.handler.onResponse(503, headers());

        assertThat(first.cancelled).isTrue();
        assertThat(transport.attempts).hasSize(1);
        clock.advance(Duration.ofMillis(100));
        ScriptedTransport.Attempt second = transport.attempt(1);
        first.handler.onBody(ByteBuffer.wrap("stale".getBytes(StandardCharsets.UTF_8)));
        first.handler.onComplete();
        second.handler.onResponse(200, headers());
        second.handler.onBody(ByteBuffer.wrap("fresh".getBytes(StandardCharsets.UTF_8)));
        second.handler.onComplete();

        assertThat(handler.calls).containsExactly("response 200", "body fresh", "complete");
    }

    @Test
    void theBackoffDoublesPerRetryAndALongerRetryAfterWins() {
        start(3, Duration.ofMillis(100), Duration.ZERO);
        transport.attempt(0).handler.onError(new IOException("refused"));
        clock.advance(Duration.ofMillis(99));
        assertThat(transport.attempts).as("before the first backoff").hasSize(1);
        clock.advance(Duration.ofMillis(1));
        transport.attempt(1).handler.onResponse(429, headers("retry-after", "2"));
        clock.advance(Duration.ofMillis(1999));
        assertThat(transport.attempts).as("Retry-After 2 s is longer than the 200 ms backoff").hasSize(2);
        clock.advance(Duration.ofMillis(1));
        transport.attempt(2).handler.onError(new IOException("reset"));
        clock.advance(Duration.ofMillis(399));
        assertThat(transport.attempts).as("the third pause is 400 ms").hasSize(3);
        clock.advance(Duration.ofMillis(1));

        assertThat(transport.attempts).hasSize(4);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void whenAttemptsRunOutTheLastResponseIsHandedOn() {
        start(1, Duration.ZERO, Duration.ZERO);
        transport.attempt(0).handler.onResponse(502, headers());
        clock.advance(Duration.ZERO);
        transport.attempt(1).handler.onResponse(503, headers());

        assertThat(handler.calls).containsExactly("response 503");
        assertThat(transport.attempt(1).cancelled).isFalse();
    }

    @Test
    void aFailureAfterTheResponseBeganIsHandedOnAsItCameAndNeverRetried() {
        start(3, Duration.ZERO, Duration.ZERO);
        IOException reset = new IOException("reset");
        transport.attempt(0).handler.onResponse(200, headers());
        transport.attempt(0).handler.onError(reset);
        clock.advance(Duration.ofSeconds(60));

        assertThat(transport.attempts).hasSize(1);
        assertThat(handler.errors).containsExactly(reset);
    }

    @Test
    void chat852sOwnFailuresOtherThanAConnectTimeoutAreNotRetried() {
        start(3, Duration.ZERO, Duration.ZERO);
        transport.attempt(0).handler.onError(new ChatTimeoutException(ChatTimeoutException.Kind.CONNECT, Duration.ofSeconds(1)));
        clock.advance(Duration.ZERO);
        ChatTimeoutException firstByte = new ChatTimeoutException(ChatTimeoutException.Kind.FIRST_BYTE, Duration.ofSeconds(1));
        transport.attempt(1).handler.onError(firstByte);
        clock.advance(Duration.ofSeconds(60));

        assertThat(transport.attempts).hasSize(2);
        assertThat(handler.errors).containsExactly(firstByte);
    }

    @Test
    void aResponseThatEndsBeforeItsStatusLineIsRetriedThenReportedAsATransportFailure() {
        start(1, Duration.ZERO, Duration.ZERO);
        transport.attempt(0).handler.onComplete();
        clock.advance(Duration.ZERO);
        transport.attempt(1).handler.onComplete();

        assertThat(handler.errors).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(TransportException.class)
                .hasMessage("the response ended before its status line");
    }

    @Test
    void demandThatArrivesBeforeExecuteReturnsIsPassedToTheAttempt() {
        RetryingExchange[] exchange = new RetryingExchange[1];
        transport.duringExecute = a -> {
            a.handler.onResponse(200, headers());
            exchange[0].request(5);
        };
        CallTimers timers = new CallTimers(clock.executor(), clock::nanoTime, Duration.ZERO, Duration.ZERO, expired::add);
        exchange[0] = new RetryingExchange(transport, REQUEST, new RetryPolicy(0, Duration.ZERO, RetryPolicy.NO_JITTER), timers, handler);
        exchange[0].start();

        assertThat(transport.attempt(0).requested).isEqualTo(5);
        exchange[0].request(2);
        assertThat(transport.attempt(0).requested).isEqualTo(7);
    }

    @Test
    void cancellingDuringThePauseEndsItWithNoFurtherAttempt() {
        RetryingExchange exchange = start(3, Duration.ofSeconds(1), Duration.ZERO);
        transport.attempt(0).handler.onResponse(503, headers());
        exchange.cancel();
        clock.advance(Duration.ofMinutes(1));

        assertThat(transport.attempts).hasSize(1);
        assertThat(clock.pending()).isEmpty();
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void endingWithoutAbortLeavesTheConnectionAndEndingWithAbortClosesIt() {
        RetryingExchange kept = start(0, Duration.ZERO, Duration.ZERO);
        kept.end(false);
        RetryingExchange closed = start(0, Duration.ZERO, Duration.ZERO);
        closed.end(true);
        closed.request(1);

        assertThat(transport.attempt(0).cancelled).isFalse();
        assertThat(transport.attempt(1).cancelled).isTrue();
        assertThat(transport.attempt(1).requested).as("no demand after the end").isZero();
    }

    @Test
    void aTransportThatThrowsFromExecuteFailsTheCallWithATransportExceptionAndNoRetry() {
        transport.refuse = new IllegalStateException("closed");
        start(3, Duration.ZERO, Duration.ZERO);
        clock.advance(Duration.ofSeconds(60));

        assertThat(handler.errors).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(TransportException.class)
                .hasMessage("the scripted transport could not send the request: closed");
    }

    @Test
    void theFirstByteDeadlineRunsForEachAttemptAndNotDuringThePause() {
        start(1, Duration.ofSeconds(5), Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        transport.attempt(0).handler.onError(new IOException("reset"));
        clock.advance(Duration.ofMillis(4999));
        assertThat(expired).as("the first attempt's deadline was given up with it").isEmpty();
        clock.advance(Duration.ofMillis(1));
        clock.advance(Duration.ofMillis(1999));
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofMillis(1));

        assertThat(expired).singleElement().extracting(ChatTimeoutException::kind)
                .isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE);
    }

    @Test
    void aClientClosedDuringThePauseFailsTheCall() {
        start(1, Duration.ofSeconds(1), Duration.ZERO);
        clock.executor().shutdownNow();
        transport.attempt(0).handler.onResponse(503, headers());

        assertThat(handler.errors).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(TransportException.class)
                .hasMessageContaining("closed while this call waited to retry");
        assertThat(handler.calls).as("the refused response is not handed on as well").containsExactly("error TransportException");
    }

    @Test
    void cancellingDuringThePauseCancelsTheRetryTimerAtOnce() {
        RetryingExchange exchange = start(3, Duration.ofSeconds(1), Duration.ZERO);
        transport.attempt(0).handler.onResponse(503, headers());
        assertThat(clock.pending()).hasSize(1);

        exchange.cancel();

        assertThat(clock.pending()).as("no timer left holding the call until it would have fired").isEmpty();
    }

    @Test
    void anExchangeCancelledWhileTheTransportWasStartingItClosesWhatTheTransportStarted() {
        CallTimers timers = new CallTimers(clock.executor(), clock::nanoTime, Duration.ZERO, Duration.ZERO, expired::add);
        RetryingExchange exchange = new RetryingExchange(transport, REQUEST, new RetryPolicy(0, Duration.ZERO,
                RetryPolicy.NO_JITTER), timers, handler);
        transport.duringExecute = a -> exchange.cancel(); // before execute() returns its exchange
        exchange.start();

        assertThat(transport.attempt(0).cancelled).isTrue();
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void theResponseStopsTheFirstByteDeadline() {
        start(0, Duration.ZERO, Duration.ofSeconds(2));
        clock.advance(Duration.ofSeconds(1));
        transport.attempt(0).handler.onResponse(200, headers());
        clock.advance(Duration.ofMinutes(1));

        assertThat(expired).isEmpty();
        assertThat(handler.calls).containsExactly("response 200");
    }
}
