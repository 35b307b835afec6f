package dev.chat852;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.chat852.FakeTransport.FakeExchange;
import dev.chat852.wire.FramingException;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A blocking call throws a failure that happened on another thread with its caller's frames, so the
 * stack trace leads to the caller's code, and the original, as it happened, as its cause.
 */
class BlockingCallsTest {
    private final FakeTransport transport = new FakeTransport();
    private final ChatClient client = ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:9")
            .token("t").build();

    @AfterEach
    void close() {
        client.close();
    }

    /** Plays the server on a thread of its own, as a transport's I/O thread would. */
    private void serveOnAnotherThread(Consumer<FakeExchange> script) {
        Thread io = new Thread(() -> {
            await("a request").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> !transport.exchanges.isEmpty());
            script.accept(transport.last());
        }, "fake-io");
        io.setDaemon(true);
        io.start();
    }

    private static boolean hasFrameOf(Throwable t, String method) {
        return Arrays.stream(t.getStackTrace()).anyMatch(f -> f.getMethodName().equals(method));
    }

    @Test
    void completeThrowsTheApiErrorWithTheCallersFramesAndTheOriginalAsCause() {
        serveOnAnotherThread(e -> e.respond(200, "application/json").read("{\"code\":401,\"message\":\"token无效\"}")
                .complete());

        ApiException thrown = catchThrowableOfType(() -> client.complete(ChatRequest.of("hi")), ApiException.class);

        assertThat(hasFrameOf(thrown, "completeThrowsTheApiErrorWithTheCallersFramesAndTheOriginalAsCause")).isTrue();
        assertThat(thrown.code()).isEqualTo(401);
        assertThat(thrown.serverMessage()).isEqualTo("token无效");
        assertThat(thrown).hasMessage("the API answered with code 401: token无效 (HTTP 200)");
        assertThat(thrown.getCause()).isInstanceOf(ApiException.class).isNotSameAs(thrown).hasMessage(thrown.getMessage());
        assertThat(hasFrameOf(thrown.getCause(), "completeThrowsTheApiErrorWithTheCallersFramesAndTheOriginalAsCause"))
                .as("the original was made on the I/O thread").isFalse();
    }

    @Test
    void readingAStreamThrowsTheTransportFailureWithTheReadersFrames() {
        serveOnAnotherThread(e -> {
            e.respond(200, "text/plain").read("部分");
            // the reset after the reader took the text (a slow reader would have it queued in the fake, unread)
            await("the text read").atMost(Duration.ofSeconds(10)).until(() -> e.pendingReads() == 0);
            e.fail(new IOException("Connection reset"));
        });

        try (ChatStream stream = client.stream("hi")) {
            StringBuilder text = new StringBuilder();
            TransportException thrown = catchThrowableOfType(() -> stream.text().forEach(text::append),
                    TransportException.class);

            assertThat(text).hasToString("部分");
            assertThat(hasFrameOf(thrown, "readingAStreamThrowsTheTransportFailureWithTheReadersFrames")).isTrue();
            assertThat(thrown).hasMessageContaining("after 6 bytes of the response").hasMessageContaining("Connection reset");
            assertThat(thrown.getCause()).isInstanceOf(TransportException.class).hasCauseInstanceOf(IOException.class);
        }
    }

    @Test
    void aTimeoutAndABrokenFrameKeepTheirKindsInTheCopy() {
        serveOnAnotherThread(e -> e.respond(200, "text/plain").read("text start852{").complete());
        ProtocolException broken = catchThrowableOfType(() -> client.stream("hi").text().forEach(t -> { }),
                ProtocolException.class);
        assertThat(broken.framing()).get().extracting(FramingException::kind)
                .isEqualTo(FramingException.Kind.UNTERMINATED_HEADER);

        ChatTimeoutException timeout = catchThrowableOfType(() -> client.complete(ChatRequest.builder().user("hi")
                .firstByteTimeout(Duration.ofMillis(20)).build()), ChatTimeoutException.class);
        assertThat(timeout.kind()).isEqualTo(ChatTimeoutException.Kind.FIRST_BYTE);
        assertThat(timeout.timeout()).isEqualTo(Duration.ofMillis(20));
        assertThat(timeout.getCause()).isInstanceOf(ChatTimeoutException.class);
    }
}
