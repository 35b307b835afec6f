package dev.chat852.wire;

import static dev.chat852.wire.WireTesting.concat;
import static dev.chat852.wire.WireTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.wire.WireTesting.Feeder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chunk layer over the event stream: text, finish reason, usage, the server's errors and broken
 * events, each case at every split point, at feed sizes 1, 2, 3 and whole, through every feeder.
 * Events: {@code T:<text>} (adjacent text merged), {@code F:<reason>}, {@code U:<usage json>},
 * {@code SE:<error json>}, {@code END}, {@code ERR:<kind>@<offset> <the excerpt it quotes>}.
 */
class OpenAiStreamDecoderTest {

    static final class Recorder implements OpenAiStreamHandler {
        final List<String> events = new ArrayList<>();
        final StringBuilder pending = new StringBuilder();

        @Override
        public void onText(String text) {
            assertThat(text).isNotEmpty();
            pending.append(text);
        }

        @Override
        public void onServerError(JsonNode error) {
            add("SE:" + error);
        }

        @Override
        public void onFinish(String reason) {
            add("F:" + reason);
        }

        @Override
        public void onUsage(JsonNode usage) {
            add("U:" + usage);
        }

        @Override
        public void onEnd() {
            add("END");
        }

        @Override
        public void onError(FramingException error) {
            String quoted = error.partialHeader();
            add("ERR:" + error.kind() + "@" + error.streamOffset() + (quoted.isEmpty() ? "" : " " + quoted));
        }

        private void add(String event) {
            flush();
            events.add(event);
        }

        List<String> events() {
            flush();
            return events;
        }

        private void flush() {
            if (pending.length() > 0) {
                events.add("T:" + pending);
                pending.setLength(0);
            }
        }
    }

    record Case(String name, byte[] body, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String body, String... expected) {
        return new Case(name, utf8(body), List.of(expected));
    }

    static String chunk(String content, String finish) {
        return "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + (content == null ? "{}" : "{\"content\":\"" + content + "\"}") + ",\"finish_reason\":"
                + (finish == null ? "null" : "\"" + finish + "\"") + "}]}\n\n";
    }

    static final String USAGE = "{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}";

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("a whole answer: role, text, finish reason, usage, [DONE]",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
                        + chunk("你好", null) + chunk("，世界", null) + chunk(null, "stop")
                        + "data: {\"choices\":[],\"usage\":" + USAGE + "}\n\ndata: [DONE]\n\n",
                "T:你好，世界", "F:stop", "U:" + USAGE, "END"));
        cases.add(c("escapes in JSON strings are text", chunk("a\\nb \\\"q\\\" \\u4f60", null) + "data: [DONE]\n\n",
                "T:a\nb \"q\" 你", "END"));
        cases.add(c("events after [DONE] are ignored", chunk("a", null) + "data: [DONE]\n\n" + chunk("b", null)
                + "data: not json\n\n", "T:a", "END"));
        cases.add(c("a stream without [DONE] ends cleanly", chunk("a", "length"), "T:a", "F:length", "END"));
        cases.add(c("only the choice with index 0 is the answer",
                "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"B\"}},{\"index\":0,\"delta\":{\"content\":\"A\"}}]}\n\n",
                "T:A", "END"));
        cases.add(c("blank data is a keep-alive, comments are nothing", "data:\n\n: ping\n\n" + chunk("x", null),
                "T:x", "END"));
        cases.add(c("an error object mid-stream is the server's error, after the text before it",
                chunk("partial", null) + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}}\n\n"
                        + chunk("never", null),
                "T:partial", "SE:{\"message\":\"overloaded\",\"type\":\"server_error\",\"code\":null}"));
        cases.add(c("an error event with a JSON object is the server's error",
                chunk("p", null) + "event: error\ndata: {\"message\":\"rate limited\"}\n\n",
                "T:p", "SE:{\"message\":\"rate limited\"}"));
        cases.add(c("an error event with plain text is the server's error", "event: error\ndata: boom\n\n",
                "SE:\"boom\""));
        cases.add(c("events of other types are ignored", "event: ping\ndata: whatever\n\n" + chunk("x", null), "T:x", "END"));
        cases.add(c("data that is not JSON is an invalid event, after the text before it",
                chunk("ok", null) + "id: 7\ndata: {\"choices\":\n\n" + chunk("never", null),
                "T:ok", "ERR:INVALID_EVENT@" + utf8(chunk("ok", null)).length + " {\"choices\":"));
        cases.add(c("a JSON value that is not an object is an invalid event", "data: [1,2]\n\n", "ERR:INVALID_EVENT@0 [1,2]"));
        cases.add(c("an invalid event of 200 characters is quoted whole", "data: " + "中".repeat(200) + "\n\n",
                "ERR:INVALID_EVENT@0 " + "中".repeat(200)));
        cases.add(c("a longer invalid event is quoted by its first 200 characters", "data: " + "中".repeat(201) + "\n\n",
                "ERR:INVALID_EVENT@0 " + "中".repeat(200) + "…"));
        cases.add(c("a final chunk without its blank line is read", chunk("tail", null).trim(), "T:tail", "END"));
        cases.add(new Case("invalid UTF-8 in text becomes U+FFFD, as in the 852 decoder",
                concat(utf8("data: {\"choices\":[{\"delta\":{\"content\":\"a"), new byte[] {(byte) 0xFF},
                        utf8("b\"}}]}\n\n")), List.of("T:a\uFFFDb", "END")));
        return cases;
    }

    static Stream<Arguments> casesWithFeeders() {
        List<Arguments> out = new ArrayList<>();
        for (Case c : cases()) {
            for (Feeder f : Feeder.values()) {
                out.add(Arguments.of(c, f));
            }
        }
        return out.stream();
    }

    static List<String> decode(byte[] body, int[] cuts, Feeder feeder) {
        Recorder recorder = new Recorder();
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(recorder);
        feeder.feed(body, cuts, SseTesting.of(decoder), fed -> { });
        decoder.finish();
        return recorder.events();
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesWithFeeders")
    void decodesAtEverySplitPointAndFeedSize(Case c, Feeder feeder) {
        for (int cut = 0; cut <= c.body.length; cut++) {
            int[] cuts = cut == 0 || cut == c.body.length ? WireTesting.at() : WireTesting.at(cut);
            assertThat(decode(c.body, cuts, feeder)).as("%s, split at %d", c.name, cut).isEqualTo(c.expected);
        }
        for (int size : new int[] {1, 2, 3, Math.max(1, c.body.length)}) {
            assertThat(decode(c.body, WireTesting.fixed(c.body.length, size), feeder)).as("%s, feed size %d", c.name, size)
                    .isEqualTo(c.expected);
        }
        Random random = new Random(c.name.hashCode());
        for (int run = 0; run < 20; run++) {
            int[] cuts = WireTesting.random(c.body.length, random, 1 + random.nextInt(24));
            assertThat(decode(c.body, cuts, feeder)).as("%s, cuts %s", c.name, Arrays.toString(cuts)).isEqualTo(c.expected);
        }
    }

    @Test
    void textIsDeliveredAsSoonAsItsEventIsComplete() {
        Recorder recorder = new Recorder();
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(recorder);
        byte[] first = utf8(chunk("one", null));
        decoder.feed(first, 0, first.length - 1);
        assertThat(recorder.events()).isEmpty();
        decoder.feed(first, first.length - 1, 1);
        assertThat(recorder.events()).containsExactly("T:one");
    }

    @Test
    void aBrokenStreamDropsTheIncompleteEventAndReportsNothing() {
        Recorder recorder = new Recorder();
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(recorder);
        byte[] body = utf8(chunk("one", null) + chunk("two", null).substring(0, 20));
        decoder.feed(body, 0, body.length);
        decoder.streamFailed();
        assertThat(recorder.events()).containsExactly("T:one");
        assertThatThrownBy(() -> decoder.feed(body, 0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEventPastTheBoundIsReportedOnceAfterTheTextBeforeItAndTheStreamDoesNotEnd() {
        byte[] first = utf8(chunk("ok", null));
        byte[] body = concat(first, utf8("data: " + "x".repeat(first.length + 1) + "\n\n" + chunk("never", null)));
        for (Feeder feeder : Feeder.values()) {
            for (int cut = 0; cut <= body.length; cut++) {
                Recorder recorder = new Recorder();
                OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(recorder, first.length);
                feeder.feed(body, cut == 0 || cut == body.length ? WireTesting.at() : WireTesting.at(cut),
                        SseTesting.of(decoder), fed -> { });
                decoder.finish();
                assertThat(recorder.events()).as("%s, split at %d", feeder, cut)
                        .containsExactly("T:ok", "ERR:EVENT_TOO_LARGE@" + first.length);
            }
        }
    }

    @Test
    void eventsInOneFeedAreNotKeptAndASplitEventIsKeptUntilItEnds() {
        Recorder recorder = new Recorder();
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(recorder);
        byte[] body = utf8(chunk("one", null));
        decoder.feed(body, 0, body.length);
        assertThat(decoder.retainedBytes()).isZero();
        decoder.feed(body, 0, 20);
        assertThat(decoder.retainedBytes()).isPositive();
        decoder.feed(body, 20, body.length - 20);
        assertThat(recorder.events()).containsExactly("T:oneone");
    }

    @Test
    void doneSaysWhetherTheStreamSaidDone() {
        Recorder recorder = new Recorder();
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(recorder);
        byte[] body = utf8(chunk("x", null));
        decoder.feed(body, 0, body.length);
        assertThat(decoder.done()).isFalse();
        byte[] done = utf8("data: [DONE]\n\n");
        decoder.feed(done, 0, done.length);
        assertThat(decoder.done()).isTrue();
        assertThat(decoder.bytesFed()).isEqualTo(body.length + done.length);
    }

    @Test
    void anInvalidEventThrowsFromFeedByDefault() {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(new OpenAiStreamHandler() {
            @Override
            public void onText(String text) {
            }

            @Override
            public void onServerError(JsonNode error) {
            }
        });
        byte[] body = utf8("data: nope\n\n");
        assertThatThrownBy(() -> decoder.feed(body, 0, body.length)).isInstanceOfSatisfying(FramingException.class, e -> {
            assertThat(e.kind()).isEqualTo(FramingException.Kind.INVALID_EVENT);
            assertThat(e.partialHeader()).isEqualTo("nope");
            assertThat(e).hasMessageContaining("nope");
        });
    }
}
