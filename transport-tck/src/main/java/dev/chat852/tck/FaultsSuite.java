package dev.chat852.tck;

import static dev.chat852.tck.Tck.failureOf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.chat852.ApiException;
import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.TransportException;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Fault} the mock can inject, through a real {@link ChatClient} on the transport: the call
 * fails with the typed error the client documents, and {@code stream.received()} keeps exactly the text
 * of the body bytes sent before the fault — computed independently with core's {@link StreamDecoder}
 * from the recording's first N bytes, then {@code streamFailed()}: the stream did not end, and what was
 * held back for a marker or a split character is text too.
 *
 * <p>The mock gives the bytes before a {@code reset:N} time to leave before the RST, so all N of them
 * arrive; {@code stall:N:1000} before {@code reset:N} checks the same with a pause in between. Each case
 * has a server of its own, with its faults for every replay.
 */
abstract class FaultsSuite extends TckCase {
    private static final String TOKEN = "sk-fault-matrix-token";
    private static final Duration WAIT = Tck.WAIT;
    /** The idle timeout for stalls: short, yet long enough that a busy machine never trips it early. */
    private static final Duration IDLE = Duration.ofSeconds(1);
    /** The first-byte timeout for delays. */
    private static final Duration FIRST_BYTE = Duration.ofMillis(300);
    /** Far longer than those timeouts, so the client's timeout always fires first. */
    private static final long LONG_MS = 10_000;

    private static final String HEADER = "start852{\"numOfOneDayCanCallApi\":100,\"numOfOneDayAlreadyCallApi\":3}end852";
    private static final String TEXT = "你好！这是模拟服务器的回答：Grüße 🙂，故障之前的文字都应该保留。";
    private static final byte[] BODY = (HEADER + TEXT + "undefined").getBytes(UTF_8);
    private static final int H = HEADER.getBytes(UTF_8).length;

    /** Byte offsets to break at: inside the header block, inside 好, right after 你好, at the very end. */
    private static final int[] OFFSETS = {10, H + 4, H + 6, BODY.length};

    FaultsSuite(TransportTck tck) {
        super(tck);
    }

    /** The recording: the body in 5-byte chunks, so markers and characters are split on the wire too. */
    private static Recording recording() {
        RecordedResponse.Builder b = RecordedResponse.builder();
        for (int i = 0; i < BODY.length; i += 5) {
            b.chunk(0, java.util.Arrays.copyOfRange(BODY, i, Math.min(BODY.length, i + 5)));
        }
        return Recording.builder().name("fault-matrix").response(b.build()).build();
    }

    /**
     * Faults, and what the client must make of them: the error, for a timeout its kind, and the body
     * bytes sent before the fault.
     */
    record Case(String label, List<Fault> faults, Class<? extends Throwable> error, ChatTimeoutException.Kind kind,
                int sentBefore) {
        /** Faults in their one-line form, separated by spaces. */
        static Case of(String specs, Class<? extends Throwable> error, ChatTimeoutException.Kind kind, int sentBefore) {
            List<Fault> faults = new ArrayList<>();
            for (String spec : specs.split(" ")) {
                faults.add(Fault.parse(spec));
            }
            return new Case(specs, faults, error, kind, sentBefore);
        }

        /** A client whose timeout is short for the timeout this case expects, and generous otherwise. */
        ChatClient.Builder timeouts(ChatClient.Builder b) {
            return b.idleTimeout(kind == ChatTimeoutException.Kind.IDLE ? IDLE : WAIT)
                    .firstByteTimeout(kind == ChatTimeoutException.Kind.FIRST_BYTE ? FIRST_BYTE : WAIT);
        }

        Duration expectedTimeout() {
            return kind == ChatTimeoutException.Kind.IDLE ? IDLE : FIRST_BYTE;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> streamCases() {
        List<Case> cases = new ArrayList<>();
        for (int n : OFFSETS) {
            cases.add(Case.of("reset:" + n, TransportException.class, null, n));
            cases.add(Case.of("stall:" + n + ":1000 reset:" + n, TransportException.class, null, n));
            cases.add(Case.of("truncate:" + n, TransportException.class, null, n));
            cases.add(Case.of("stall:" + n + ":" + LONG_MS, ChatTimeoutException.class, ChatTimeoutException.Kind.IDLE, n));
        }
        // The status fault's body is the API's JSON wrapper {"code":500,...}: an API error, not a bare status.
        cases.add(Case.of("status:500", ApiException.class, null, 0));
        // With a body that is not the wrapper, the status is all there is.
        cases.add(new Case("status:502 with an HTML body", List.of(Fault.status(502, "<html>Bad Gateway</html>")),
                HttpStatusException.class, null, 0));
        cases.add(Case.of("delay:" + LONG_MS, ChatTimeoutException.class, ChatTimeoutException.Kind.FIRST_BYTE, 0));
        return cases.stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chat852.tck.FaultsSuite#streamCases")
    void streamFailsWithTheFaultsTypedErrorAndKeepsExactlyTheTextSentBeforeIt(Case c)
            throws Exception {
        try (MockServer server = MockServer.builder().speed(0).token(TOKEN).recording(recording()).faults(c.faults())
                .build().start();
             ChatClient client = c.timeouts(ChatClient.builder().transport(transport)
                     .baseUrl(server.baseUri().toString()).token(TOKEN)).build()) {

            ChatStream stream = client.stream(ChatRequest.of("你好"));
            Throwable error = failureOf(stream.completion());

            assertThat(error).isExactlyInstanceOf(c.error());
            if (c.kind() != null) {
                assertThat(((ChatTimeoutException) error).kind()).isEqualTo(c.kind());
                assertThat(((ChatTimeoutException) error).timeout()).isEqualTo(c.expectedTimeout());
            }
            if (error instanceof HttpStatusException) {
                assertThat(((HttpStatusException) error).status()).isEqualTo(502);
                assertThat(((HttpStatusException) error).bodyExcerpt()).isEqualTo("<html>Bad Gateway</html>");
            }
            if (error instanceof ApiException) {
                ApiException api = (ApiException) error;
                assertThat(api.code()).isEqualTo(500);
                assertThat(api.httpStatus()).isEqualTo(500);
                assertThat(api.serverMessage()).isEqualTo("chat852 mock: fault status 500");
            }
            // A status fault replaces the recording: the bytes received are its error body, and no text.
            boolean replaced = error instanceof ApiException || error instanceof HttpStatusException;
            long received = replaced ? 0 : stream.received().bytesReceived();
            assertThat(received).as("body bytes received before %s", c).isEqualTo(c.sentBefore());
            assertThat(stream.received().text()).as("text kept after %s (%d bytes received)", c, received)
                    .isEqualTo(textOfFirst((int) received));
            assertThat(stream.received().finished()).isFalse();
            if (c.kind() == ChatTimeoutException.Kind.FIRST_BYTE) {
                assertThat(stream.received().timeToFirstByte()).isEmpty();
            }
            assertThat(String.valueOf(error)).doesNotContain(TOKEN);
            assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.matched()).hasValue("fault-matrix"));
        }
    }

    static Stream<Arguments> breaks() {
        List<Arguments> all = new ArrayList<>();
        for (String fault : new String[] {"truncate", "reset"}) {
            all.add(Arguments.of(fault, "start852{}end852I like cats".getBytes(UTF_8), "I like cats"));
            byte[] split = java.util.Arrays.copyOf("start852{}end852答".getBytes(UTF_8), 16 + 3 + 1);
            split[split.length - 1] = (byte) 0xE6; // the first byte of a three-byte character
            all.add(Arguments.of(fault, split, "答\uFFFD"));
        }
        return all.stream();
    }

    /**
     * The last "s" could begin start852 and a lone E6 could begin a character, so the decoder holds them
     * back; once the connection breaks they can begin nothing and are text the server sent (issue 10).
     */
    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("dev.chat852.tck.FaultsSuite#breaks")
    void whatWasHeldBackForAMarkerOrACharacterIsDeliveredWhenTheStreamBreaks(String fault, byte[] body, String text) throws Exception {
        Recording answer = Recording.builder().name("break").response(RecordedResponse.builder().chunk(0, body).build())
                .build();
        try (MockServer server = MockServer.builder().speed(0).token(TOKEN).recording(answer)
                .fault(Fault.parse(fault + ":" + body.length)).build().start();
             ChatClient client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString())
                     .token(TOKEN).build()) {
            ChatStream stream = client.stream(ChatRequest.of("hi"));
            StringBuilder delivered = new StringBuilder();
            CompletableFuture<String> atError = new CompletableFuture<>();
            stream.listen(new dev.chat852.ChatListener() {
                @Override
                public void onText(String piece) {
                    delivered.append(piece);
                }

                @Override
                public void onError(dev.chat852.Chat852Exception error) {
                    atError.complete(delivered + " then " + error.getClass().getSimpleName());
                }
            });

            assertThat(atError.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(text + " then TransportException");
            assertThat(stream.received().text()).isEqualTo(text);
        }
    }

    static Stream<Arguments> wholeAnswerCases() {
        List<Case> cases = List.of(
                Case.of("reset:20", TransportException.class, null, 0),
                Case.of("truncate:20", TransportException.class, null, 0),
                Case.of("stall:20:" + LONG_MS, ChatTimeoutException.class, ChatTimeoutException.Kind.IDLE, 0),
                Case.of("status:500", ApiException.class, null, 0),
                Case.of("delay:" + LONG_MS, ChatTimeoutException.class, ChatTimeoutException.Kind.FIRST_BYTE, 0));
        return cases.stream().map(c -> Arguments.of(c));
    }

    /**
     * The whole (non-stream) answer is JSON with a Content-Length: a reset or a clean close before its
     * end is a transport failure too, never a half-read JSON taken for an answer; a stall in it is an
     * idle timeout.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.chat852.tck.FaultsSuite#wholeAnswerCases")
    void completeFailsWithTheFaultsTypedError(Case c) throws Exception {
        try (MockServer server = MockServer.builder().speed(0).token(TOKEN).recording(recording()).faults(c.faults())
                .build().start();
             ChatClient client = c.timeouts(ChatClient.builder().transport(transport)
                     .baseUrl(server.baseUri().toString()).token(TOKEN)).build()) {

            Throwable error = catchThrowable(() -> client.complete(ChatRequest.of("你好")));

            assertThat(error).isExactlyInstanceOf(c.error());
            if (c.kind() != null) {
                assertThat(((ChatTimeoutException) error).kind()).isEqualTo(c.kind());
            }
            if (error instanceof ApiException) {
                assertThat(((ApiException) error).code()).isEqualTo(500);
                assertThat(((ApiException) error).httpStatus()).isEqualTo(500);
            }
            assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.stream()).isFalse());
        }
    }

    /** The answer text a client has delivered after the first {@code n} body bytes, by core's decoder. */
    static String textOfFirst(int n) {
        StringBuilder text = new StringBuilder();
        StreamDecoder decoder = new StreamDecoder(new StreamHandler() {
            @Override
            public void onText(String piece) {
                text.append(piece);
            }

            @Override
            public void onError(FramingException error) {
                throw new AssertionError("the test body breaks the framing", error);
            }
        });
        decoder.feed(BODY, 0, Math.min(n, BODY.length));
        decoder.streamFailed();
        return text.toString();
    }
}
