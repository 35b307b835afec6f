package dev.chat852.tck;

import static dev.chat852.tck.Tck.BODY_BYTES;
import static dev.chat852.tck.Tck.HEADER_BLOCK;
import static dev.chat852.tck.Tck.HEADER_JSON;
import static dev.chat852.tck.Tck.PART;
import static dev.chat852.tck.Tck.TEXT;
import static dev.chat852.tck.Tck.TOKEN;
import static dev.chat852.tck.Tck.await;
import static dev.chat852.tck.Tck.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chat852.ApiException;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.TransportException;
import dev.chat852.mock.Fault;
import dev.chat852.mock.ReceivedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.testkit.LogCapture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Secrets: the token reaches no log record, exception, {@code toString()} or what the server keeps. */
abstract class SecretsSuite extends TckCase {

    SecretsSuite(TransportTck tck) {
        super(tck);
    }

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
    void tokenAppearsInNoLogRecordExceptionOrToStringOfSuccessfulAndFailingCalls() throws Exception {
        String wrongToken = "sk-wrong-secret-token-" + Long.toHexString(System.nanoTime());
        String canary = "kit-log-canary-" + Long.toHexString(System.nanoTime());
        List<String> texts = new ArrayList<>();
        List<Throwable> errors = new ArrayList<>();
        List<LogCapture.Entry> logs;
        SpyTransport spy;
        try (LogCapture capture = LogCapture.start(tck.transportLoggers())) {
            System.getLogger("dev.chat852.tck").log(System.Logger.Level.DEBUG, "log capture check {0}", canary);
            spy = new SpyTransport(tck.newTransport()); // made now, so that its library's set-up is logged too
            try {
                ChatClient c = clientBuilder(spy).build();
                ChatClient wrong = clientBuilder(spy).token(wrongToken).build();
                ChatClient refused = clientBuilder(spy).baseUrl("http://127.0.0.1:" + Tck.unusedPort()).build();
                try {
                    texts.addAll(List.of(c.toString(), wrong.toString(), refused.toString(), transport.toString()));

                    // a streamed answer
                    enqueue(Tck.stream(BODY_BYTES, 9, 1));
                    ChatRequest streamed = ChatRequest.builder().system("简短回答").user("你好").param("temperature", 0.2)
                            .build();
                    ChatStream ok = c.stream(streamed);
                    ChatCompletion answer = await(ok.completion());
                    assertThat(answer.text()).isEqualTo(TEXT);
                    texts.addAll(List.of(streamed.toString(), ok.toString(), answer.toString(),
                            ok.received().toString()));

                    // a whole answer
                    enqueue(Tck.json(200, Tck.wholeAnswer("整段", HEADER_JSON)));
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
                    enqueue(Tck.text(500, "upstream exploded: 上游错误"));
                    ChatStream http500 = c.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(http500.completion()));
                    texts.add(http500.toString());

                    // a reset mid-stream, and a refused connection
                    enqueue(RecordedResponse.builder().chunk(0, HEADER_BLOCK).chunk(0, PART)
                            .fault(Fault.reset(utf8Length(HEADER_BLOCK + PART))).build());
                    ChatStream reset = c.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(reset.completion()));
                    ChatStream refusedStream = refused.stream(ChatRequest.of("你好"));
                    errors.add(failureOf(refusedStream.completion()));
                    texts.addAll(List.of(reset.toString(), reset.received().toString(), refusedStream.toString()));

                    // an idle timeout and a first-byte timeout
                    enqueue(TimeoutsSuite.stallingAfter(HEADER_BLOCK + PART));
                    ChatRequest idle = ChatRequest.builder().user("你好").idleTimeout(Duration.ofMillis(300)).build();
                    ChatStream stalled = c.stream(idle);
                    errors.add(failureOf(stalled.completion()));
                    enqueue(TimeoutsSuite.stallingBeforeTheStatus());
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
        texts.addAll(retainedByTheServer());
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
        for (String library : tck.transportLoggers()) {
            assertThat(logs).as("records from %s's loggers, logged by the client side", library)
                    .anyMatch(e -> e.logger() != null && e.logger().startsWith(library)
                            && !e.thread().startsWith("chat852-mock-"));
        }

        for (String secret : List.of(TOKEN, wrongToken)) {
            assertThat(logTexts).as("log records holding a token").noneMatch(t -> t.contains(secret));
            assertThat(texts).as("messages, stack traces and toStrings holding a token")
                    .noneMatch(t -> t.contains(secret));
        }
    }

    /** What the mock keeps: its request log (descriptions, bodies without token, headers) and its recordings. */
    private List<String> retainedByTheServer() {
        List<String> texts = new ArrayList<>();
        texts.add(server.toString());
        for (ReceivedRequest r : server.requests()) {
            texts.add(r.toString());
            texts.add(r.toJson());
            texts.add(String.valueOf(r.json()));
            texts.add(r.headers().toString());
        }
        for (Recording r : server.recordings()) {
            texts.add(r.toString());
            texts.add(r.toJson());
        }
        return texts;
    }
}
