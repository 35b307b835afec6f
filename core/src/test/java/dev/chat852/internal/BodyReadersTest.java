package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each body kind read into a sink that records what it was given. */
class BodyReadersTest {
    private final Sink sink = new Sink();

    private static final class Sink implements CallSink {
        final List<String> calls = new ArrayList<>();
        Chat852Exception error;
        boolean abort;

        @Override
        public void text(String piece) {
            calls.add("text " + piece);
        }

        @Override
        public void header(Header header) {
            calls.add("header " + header.raw());
        }

        @Override
        public void completion(JsonNode completion) {
            calls.add("completion " + completion.path("id").asText());
        }

        @Override
        public void succeed() {
            calls.add("succeed");
        }

        @Override
        public void fail(Chat852Exception e, boolean closeConnection) {
            calls.add("fail");
            error = e;
            abort = closeConnection;
        }
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private BodyReader open(int status, String contentType) {
        return BodyReader.open(status, Map.of("content-type", List.of(contentType)), sink, 1024, 256);
    }

    @Test
    void aTwoHundredThatIsNotJsonStreamsAtTheConsumersPaceAndJsonIsReadWhole() {
        assertThat(open(200, "text/event-stream")).isInstanceOf(StreamBodyReader.class).matches(BodyReader::paced);
        assertThat(open(200, "Application/JSON; charset=utf-8")).isInstanceOf(JsonBodyReader.class)
                .matches(r -> !r.paced());
        assertThat(open(404, "text/html")).isInstanceOf(ErrorBodyReader.class).matches(r -> !r.paced());
        assertThat(BodyReader.open(204, Map.of(), sink, 1, 1)).isInstanceOf(StreamBodyReader.class);
    }

    @Test
    void aStreamDeliversTextAndHeadersAndSucceedsAtItsEnd() {
        BodyReader r = open(200, "text/plain");
        r.onBody(utf8("前 start852{\"a\":1}end852后"));
        r.onBody(utf8("undefined"));
        r.onComplete();

        assertThat(sink.calls).containsExactly("text 前 ", "header {\"a\":1}", "text 后", "succeed");
    }

    @Test
    void aStreamPastTheBoundDeliversWhatFitsThenFailsAndClosesTheConnection() {
        BodyReader r = open(200, "text/plain");
        r.onBody(utf8("x".repeat(250) + ";"));
        r.onBody(utf8("abcdefgh;"));

        assertThat(sink.calls).containsExactly("text " + "x".repeat(250) + ";", "text abcde", "fail");
        assertThat(sink.error).hasMessageContaining("256 bytes", "maxAnswerBytes");
        assertThat(sink.abort).isTrue();
    }

    @Test
    void onlyATwoHundredStatusStreamsOrIsReadWhole() {
        assertThat(open(299, "text/plain")).isInstanceOf(StreamBodyReader.class);
        assertThat(open(299, "application/json")).isInstanceOf(JsonBodyReader.class);
        assertThat(open(300, "text/plain")).isInstanceOf(ErrorBodyReader.class);
        assertThat(open(199, "text/plain")).isInstanceOf(ErrorBodyReader.class);
    }

    @Test
    void aStreamPastTheBoundDeliversTheTextItHeldBackBeforeFailing() {
        BodyReader r = open(200, "text/plain");
        r.onBody(utf8("x".repeat(245) + "I like cats and dogs")); // 256 bytes fit: up to "cats"

        assertThat(String.join("", sink.calls.subList(0, sink.calls.size() - 1)).replace("text ", ""))
                .as("the s, held back as a possible start of start852, is delivered when the stream fails")
                .isEqualTo("x".repeat(245) + "I like cats");
        assertThat(sink.calls).last().isEqualTo("fail");
    }

    @Test
    void aWholeAnswerOfExactlyTheBoundIsRead() {
        String json = "{\"code\":200,\"message\":\"ok\",\"data\":{\"completion\":{\"id\":\"c2\"}}}";
        BodyReader r = open(200, "application/json");
        r.onBody(utf8(json + " ".repeat(256 - json.length())));
        r.onComplete();

        assertThat(sink.calls).containsExactly("completion c2", "succeed");
    }

    @Test
    void anErrorBodyOfExactlyTheExcerptsLengthIsQuotedWhole() {
        BodyReader html = open(502, "text/html");
        html.onBody(utf8("<p>" + "x".repeat(1021)));
        html.onComplete();

        assertThat(((HttpStatusException) sink.error).bodyExcerpt()).hasSize(1024).doesNotContain("…");
    }

    @Test
    void aBrokenFrameIsAProtocolExceptionCarryingTheDecodersFinding() {
        BodyReader r = open(200, "text/plain");
        r.onBody(utf8("text start852{"));
        r.onComplete();

        assertThat(sink.error).isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.framing()).get()
                .extracting(FramingException::kind).isEqualTo(FramingException.Kind.UNTERMINATED_HEADER));
        assertThat(sink.calls).containsExactly("text text ", "fail");
    }

    @Test
    void aWholeAnswerGivesItsCompletionHeaderAndTextThenSucceeds() {
        BodyReader r = open(200, "application/json");
        r.onBody(utf8("{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":{\"id\":\"c1\",\"choices\":"));
        r.onBody(utf8("[{\"message\":{\"content\":\"答\"}}]},\"info\":{\"apiDate\":\"d\"}}}"));
        r.onComplete();

        assertThat(sink.calls).containsExactly("completion c1", "header {\"apiDate\":\"d\"}", "text 答", "succeed");
    }

    @Test
    void jsonThatIsNotTheEnvelopeIsAProtocolExceptionQuotingIt() {
        BodyReader r = open(200, "application/json");
        r.onBody(utf8("  {\"choices\":[]}  "));
        r.onComplete();

        assertThat(sink.error).isInstanceOf(ProtocolException.class)
                .hasMessage("the server answered HTTP 200 with JSON that is not the API's {code, message, data} wrapper:"
                        + " {\"choices\":[]}");
        assertThat(sink.abort).isFalse();
    }

    @Test
    void anEnvelopeWithAnErrorCodeIsAnApiException() {
        BodyReader r = open(200, "application/json");
        r.onBody(utf8("{\"code\":401,\"message\":\"token无效\",\"data\":null}"));
        r.onComplete();

        assertThat(sink.error).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(401);
            assertThat(e.serverMessage()).isEqualTo("token无效");
            assertThat(e.httpStatus()).isEqualTo(200);
        });
    }

    @Test
    void aWholeAnswerPastTheBoundFailsAtOnceAndClosesTheConnection() {
        BodyReader r = open(200, "application/json");
        r.onBody(utf8("{".repeat(200)));
        r.onBody(utf8("{".repeat(57)));

        assertThat(sink.calls).containsExactly("fail");
        assertThat(sink.abort).isTrue();
    }

    @Test
    void anErrorStatusWithTheEnvelopeIsAnApiExceptionAndOtherwiseTheStatusWithAnExcerpt() {
        BodyReader envelope = open(503, "application/json");
        envelope.onBody(utf8("{\"code\":503,\"message\":\"busy\"}"));
        envelope.onComplete();
        assertThat(sink.error).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.httpStatus()).isEqualTo(503));

        BodyReader html = open(502, "text/html");
        html.onBody(utf8("\n<html>" + "x".repeat(2000)));
        html.onComplete();
        assertThat(sink.error).isInstanceOfSatisfying(HttpStatusException.class, e -> {
            assertThat(e.status()).isEqualTo(502);
            assertThat(e.bodyExcerpt()).startsWith("<html>x").hasSize(1025).endsWith("…");
        });
        assertThat(sink.abort).isTrue();
    }

    @Test
    void anErrorBodyIsReadForItsFirst64KibOnly() {
        BodyReader r = open(500, "text/plain");
        r.onBody(utf8("y".repeat(ErrorBodyReader.MAX_ERROR_BYTES - 1)));
        assertThat(sink.calls).isEmpty();
        r.onBody(utf8("zz"));

        assertThat(sink.calls).containsExactly("fail");
        assertThat(((HttpStatusException) sink.error).bodyExcerpt()).hasSize(1025);
    }
}
