package dev.chat852.tck;

import static dev.chat852.tck.Tck.BODY_BYTES;
import static dev.chat852.tck.Tck.HEADER_BLOCK;
import static dev.chat852.tck.Tck.HEADER_JSON;
import static dev.chat852.tck.Tck.PART;
import static dev.chat852.tck.Tck.TEXT;
import static dev.chat852.tck.Tck.assertNoToken;
import static dev.chat852.tck.Tck.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.TransportException;
import dev.chat852.mock.Fault;
import dev.chat852.mock.Gate;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.wire.FramingException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Errors and faults: the API's errors on HTTP 200 and 500, HTTP errors, resets and closes mid-body, a
 * broken header block, a refused connection. Each fails with the client's typed error, keeps the text
 * that came before, never shows the token, and gives the connection back.
 */
abstract class ErrorsSuite extends TckCase {

    ErrorsSuite(TransportTck tck) {
        super(tck);
    }

    @Test
    void jsonErrorOnHttp200FailsTheStreamWithApiException() {
        enqueue(Tck.chunks(RecordedResponse.builder().header("Content-Type", "application/json; charset=utf-8"),
                "{\"code\":401,\"message\":\"token无效\",\"data\":null}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                3, 0).build());

        Throwable error;
        try (ChatStream stream = client.stream(ChatRequest.of("你好")); Stream<String> text = stream.text()) {
            error = catchThrowable(() -> text.collect(Collectors.joining()));
            assertThat(stream.received().text()).isEmpty();
        }

        assertThat(error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("token无效");
            assertThat(e.httpStatus()).isEqualTo(200);
        });
        assertNoToken(error);
        assertConnectionsReleased();
    }

    @Test
    void jsonErrorOnHttp200FailsCompleteWithApiException() {
        enqueue(Tck.json(200, "{\"code\":401,\"message\":\"token无效\",\"data\":null}"));

        Throwable error = catchThrowable(() -> client.complete(ChatRequest.of("你好")));

        assertThat(error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("token无效");
            assertThat(e.httpStatus()).isEqualTo(200);
        });
        assertNoToken(error);
    }

    @Test
    void http500WithATextBodyFailsWithHttpStatusExceptionAndAnExcerpt() throws Exception {
        enqueue(Tck.text(500, "upstream exploded: 上游错误"));

        Throwable error = failureOf(client.stream(ChatRequest.of("你好")).completion());

        assertThat(error).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.bodyExcerpt()).contains("upstream exploded: 上游错误");
        });
        assertNoToken(error);
        assertConnectionsReleased();
    }

    @Test
    void http500WithTheJsonWrapperFailsWithApiExceptionCarryingStatus500() throws Exception {
        enqueue(Tck.json(500, "{\"code\":500,\"message\":\"服务器内部错误\",\"data\":null}"));
        RecordingListener listener = new RecordingListener();

        client.stream(ChatRequest.of("你好")).listen(listener);
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(500);
            assertThat(e.serverMessage()).isEqualTo("服务器内部错误");
            assertThat(e.httpStatus()).isEqualTo(500);
        });
        assertThat(listener.calls()).containsExactly("error:ApiException");
        assertConnectionsReleased();
    }

    @Test
    void resetMidStreamFailsWithTransportExceptionAndKeepsTheTextReceivedBefore() throws Exception {
        Gate gate = new Gate();
        int before = utf8Length(HEADER_BLOCK + PART);
        enqueue(MockResponse.builder(RecordedResponse.builder().chunk(0, HEADER_BLOCK).chunk(0, PART)
                .fault(Fault.reset(before)).build()).hold(before, gate).build());
        RecordingListener listener = new RecordingListener();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        await("the text before the reset").atMost(Tck.WAIT).until(() -> listener.text().equals(PART));
        gate.open();
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOf(TransportException.class);
        assertNoToken(error);
        assertThat(stream.received().text()).isEqualTo(PART);
        assertThat(stream.received().finished()).isFalse();
        assertThat(listener.calls()).last().isEqualTo("error:TransportException");
        assertConnectionsReleased();
    }

    @Test
    void resetBeforeTheDeclaredContentLengthEndsFailsTheCall() throws Exception {
        int resetAt = utf8Length(HEADER_BLOCK) + 20;
        enqueue(MockResponse.builder(Tck.chunks(RecordedResponse.builder(), BODY_BYTES, 16, 1)
                .fault(Fault.reset(resetAt)).build()).framing(MockResponse.Framing.CONTENT_LENGTH).build());

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOf(TransportException.class);
        assertThat(TEXT).startsWith(stream.received().text());
        assertThat(stream.received().bytesReceived()).isLessThanOrEqualTo(resetAt);
        assertConnectionsReleased();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MockResponse.Framing.class, names = {"CHUNKED", "CONTENT_LENGTH"})
    void connectionClosedBeforeTheBodyEndsFailsTheCallInsteadOfEndingQuietly(MockResponse.Framing framing)
            throws Exception {
        // With a Content-Length, the length declared is the whole body's: more than is sent.
        int sent = utf8Length(HEADER_BLOCK + PART);
        enqueue(MockResponse.builder(RecordedResponse.builder().chunk(0, HEADER_BLOCK).chunk(0, PART)
                .chunk(0, TEXT + "undefined").fault(Fault.truncate(sent)).build()).framing(framing).build());

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOf(TransportException.class);
        assertThat(stream.received().text()).isEqualTo(PART);
        assertConnectionsReleased();
    }

    @Test
    void unterminatedHeaderFailsWithProtocolExceptionAfterTheTextBeforeIt() throws Exception {
        enqueue(Tck.stream((HEADER_BLOCK + "前文 start852{\"a\":1").getBytes(java.nio.charset.StandardCharsets.UTF_8), 5, 1));
        RecordingListener listener = new RecordingListener();

        ChatStream stream = client.stream(ChatRequest.of("你好"));
        stream.listen(listener);
        Chat852Exception error = listener.awaitError();

        assertThat(error).isInstanceOfSatisfying(ProtocolException.class,
                e -> assertThat(e.framing()).get().extracting(FramingException::kind)
                        .isEqualTo(FramingException.Kind.UNTERMINATED_HEADER));
        List<String> calls = listener.calls();
        assertThat(calls.get(0)).isEqualTo("header:" + HEADER_JSON);
        assertThat(calls.get(calls.size() - 1)).isEqualTo("error:ProtocolException");
        assertThat(listener.text()).isEqualTo("前文 ");
        assertThat(stream.received().text()).isEqualTo("前文 ");
    }

    @Test
    void refusedConnectionFailsWithTransportException() throws Exception {
        int port = Tck.unusedPort();
        ChatClient refused = closeLater(ChatClient.builder().transport(transport).baseUrl("http://127.0.0.1:" + port)
                .token(Tck.TOKEN).build());

        ChatStream stream = refused.stream(ChatRequest.of("你好"));
        Throwable error = failureOf(stream.completion());

        assertThat(error).isInstanceOf(TransportException.class).hasMessage("the connection failed before the response:"
                + " the connection to 127.0.0.1:" + port + " was refused");
        assertNoToken(error);
        assertThat(stream.received().timeToFirstByte()).isEmpty();
        assertConnectionsReleased();
    }
}
