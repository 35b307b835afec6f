package dev.chat852.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.TransportException;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.HostileServer;
import dev.chat852.wire.FramingException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile peers: what a server that breaks every rule can still do to a {@code ChatClient} on the
 * transport, and what it cannot (make it keep unbounded memory, hang, lose the text that did arrive, or
 * carry the token elsewhere). The one raw-socket server, {@link HostileServer}, plays what the mock server
 * never sends: endless bodies and headers, a giant header line, wrong lengths, garbage, silence, drips.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class HostilePeerSuite {
    private static final String TOKEN = "sk-hostile-peer-secret-852";
    private static final int BOUND = 1 << 20;
    private static final byte[] PIECE = "没完没了 endless ".repeat(512).getBytes(UTF_8);

    private final TransportTck tck;
    private HostileServer server;
    private Transport transport;
    private ChatClient client;

    HostilePeerSuite(TransportTck tck) {
        this.tck = tck;
    }

    @BeforeEach
    final void skipKnownGaps(TestInfo test) {
        tck.skipIfKnownGap(test);
    }

    @AfterEach
    void closeAll() throws Exception {
        if (client != null) {
            client.close();
        }
        if (transport != null) {
            transport.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ChatClient client(HostileServer.Script script) throws Exception {
        server = HostileServer.start(script);
        transport = tck.newTransport();
        client = ChatClient.builder().transport(transport).baseUrl(server.baseUri().toString()).token(TOKEN)
                .maxAnswerBytes(BOUND).firstByteTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(2))
                .build();
        return client;
    }

    private static Throwable failure(ChatClient client) throws Exception {
        try (ChatStream stream = client.stream(ChatRequest.of("hi"))) {
            return catchThrowable(() -> stream.completion().get(30, TimeUnit.SECONDS)).getCause();
        }
    }

    @Test
    void anEndlessBodyStopsAtTheAnswerBoundAndTheServerIsHungUpOn() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
            peer.repeatChunks(PIECE, 1L << 30);
        });
        StringBuilder text = new StringBuilder();
        Throwable error;
        try (ChatStream stream = c.stream(ChatRequest.of("hi"))) {
            error = catchThrowable(() -> stream.text().forEach(text::append));
        }
        assertThat(error).isInstanceOf(Chat852Exception.class).hasMessageContaining("maxAnswerBytes");
        // The bytes within the bound, the last character cut there shown as U+FFFD (3 bytes for 1 or 2).
        assertThat(text.toString().getBytes(UTF_8).length).as("text kept").isLessThanOrEqualTo(BOUND + 2);
        await("the server to be hung up on").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(server.bytesSent()).as("bytes sent").isLessThan(64L << 20));
    }

    @Test
    void anEndlessHeaderBlockIsAProtocolErrorAfterTheTextBeforeIt() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
            peer.chunk("before start852{".getBytes(UTF_8));
            peer.repeatChunks("\"quota\":1,".repeat(100).getBytes(UTF_8), 1L << 30);
        });
        StringBuilder text = new StringBuilder();
        Throwable error;
        try (ChatStream stream = c.stream(ChatRequest.of("hi"))) {
            error = catchThrowable(() -> stream.text().forEach(text::append));
        }
        assertThat(error).isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.framing()).get()
                .extracting(FramingException::kind).isEqualTo(FramingException.Kind.HEADER_TOO_LARGE));
        assertThat(text).hasToString("before ");
    }

    @Test
    void aHeaderLineOfTenMegabytesFailsTheCallWithoutReadingItAll() throws Exception {
        ChatClient c = client(peer -> {
            peer.raw("HTTP/1.1 200 OK\r\nX-Huge: ");
            peer.repeatRaw("a".repeat(8192).getBytes(UTF_8), 10 << 20);
            peer.raw("\r\n\r\nnever");
        });
        assertThat(failure(c)).isInstanceOfAny(TransportException.class, ChatTimeoutException.class);
    }

    @Test
    void aBodyShorterThanItsContentLengthFailsAfterTheTextThatCame() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Content-Length: 1000");
            peer.raw("partial answer".getBytes(UTF_8));
        });
        StringBuilder text = new StringBuilder();
        Throwable error;
        try (ChatStream stream = c.stream(ChatRequest.of("hi"))) {
            error = catchThrowable(() -> stream.text().forEach(text::append));
        }
        assertThat(error).isInstanceOf(TransportException.class);
        assertThat(text).hasToString("partial answer");
    }

    @Test
    void bytesPastTheContentLengthAreNotPartOfTheAnswer() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Content-Length: 5");
            peer.raw("hello, and more that was never announced");
        });
        ChatCompletion completion;
        try (ChatStream stream = c.stream(ChatRequest.of("hi"))) {
            completion = stream.completion().get(30, TimeUnit.SECONDS);
        }
        assertThat(completion.text()).isEqualTo("hello");
    }

    @Test
    void chunkedGarbageFailsTheCall() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
            peer.chunk("ok ".getBytes(UTF_8));
            peer.raw("zz-not-a-size\r\ngarbage\r\n");
            peer.awaitClose(Duration.ofSeconds(10));
        });
        assertThat(failure(c)).isInstanceOfAny(TransportException.class, ChatTimeoutException.class);
    }

    @Test
    void silenceAfterTheStatusLineEndsInTheIdleTimeout() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
            peer.chunk("thinking".getBytes(UTF_8));
            peer.awaitClose(Duration.ofSeconds(20));
        });
        assertThat(failure(c)).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.IDLE));
    }

    @Test
    void silenceBeforeTheStatusLineEndsInTheFirstByteTimeout() throws Exception {
        ChatClient c = client(peer -> peer.awaitClose(Duration.ofSeconds(20)));
        assertThat(failure(c)).isInstanceOfSatisfying(ChatTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE));
    }

    @Test
    void aDripOfOneByteAtATimeIsReadToTheEndWithinTheIdleTimeout() throws Exception {
        byte[] answer = "慢慢来 slowly".getBytes(UTF_8);
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Content-Length: " + answer.length);
            peer.drip(answer, Duration.ofMillis(100));
        });
        ChatCompletion completion;
        try (ChatStream stream = c.stream(ChatRequest.of("hi"))) {
            completion = stream.completion().get(30, TimeUnit.SECONDS);
        }
        assertThat(completion.text()).isEqualTo("慢慢来 slowly");
    }

    @Test
    void aRedirectIsNotFollowedSoTheTokenGoesNowhereElse() throws Exception {
        AtomicInteger elsewhere = new AtomicInteger();
        try (HostileServer other = HostileServer.start(peer -> elsewhere.incrementAndGet())) {
            ChatClient c = client(peer -> peer.head(307, "Location: " + other.baseUri() + "/steal",
                    "Content-Length: 0"));
            assertThat(failure(c)).isInstanceOfSatisfying(HttpStatusException.class,
                    e -> assertThat(e.status()).isEqualTo(307));
            assertThat(other.requestLines()).isEmpty();
            assertThat(elsewhere).hasValue(0);
        }
    }

    @Test
    void aResetMidStreamFailsTheCallAndKeepsTheTextBeforeIt() throws Exception {
        ChatClient c = client(peer -> {
            peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
            peer.chunk("kept text.".getBytes(UTF_8));
            Thread.sleep(200);
            peer.reset();
        });
        StringBuilder text = new StringBuilder();
        Throwable error;
        try (ChatStream stream = c.stream(ChatRequest.of("hi"))) {
            error = catchThrowable(() -> stream.text().forEach(text::append));
        }
        assertThat(error).isInstanceOf(TransportException.class);
        assertThat(text).hasToString("kept text.");
        assertThat(error).hasMessageNotContaining(TOKEN);
    }
}
