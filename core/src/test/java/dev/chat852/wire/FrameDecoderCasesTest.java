package dev.chat852.wire;

import static dev.chat852.wire.WireTesting.concat;
import static dev.chat852.wire.WireTesting.header;
import static dev.chat852.wire.WireTesting.text;
import static dev.chat852.wire.WireTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.wire.WireTesting.Feeder;
import dev.chat852.wire.WireTesting.FrameRecorder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoding rules as a table of cases, each with its expected events written out by hand. Every
 * case is decoded at every split point (two pieces, and three for short bodies), at feed sizes 1, 2, 3
 * and whole, under seeded random chunkings, and through every {@link Feeder}; every run must give
 * exactly the expected events and must deliver text as early as rule 5 demands.
 */
class FrameDecoderCasesTest {

    /** One row: a body, the events it must decode to, and the header bound to use. */
    static final class Case {
        final String name;
        final byte[] body;
        final List<String> expected;
        final int maxHeader;

        Case(String name, byte[] body, int maxHeader, String... expected) {
            this.name = name;
            this.body = body;
            this.maxHeader = maxHeader;
            this.expected = List.of(expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String body, String... expected) {
        return new Case(name, utf8(body), FrameDecoder.DEFAULT_MAX_HEADER_BYTES, expected);
    }

    static final String QUOTA = "{\"isSdHide\":false,\"sdLimitCount\":10,\"apiDate\":\"2026-11-25\"}";

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("a realistic stream: header, answer, trailer",
                "start852" + QUOTA + "end852你好！I can help: 1+1=2。undefined",
                header(QUOTA), text("你好！I can help: 1+1=2。"), "END"));
        cases.add(c("text before a header is kept",
                "你好 start852{\"a\":1}end852world", text("你好 "), header("{\"a\":1}"), text("world"), "END"));
        cases.add(c("several headers anywhere, one of them empty",
                "a start852{1}end852 b start852{2}end852 c start852end852",
                text("a "), header("{1}"), text(" b "), header("{2}"), text(" c "), header(""), "END"));
        cases.add(c("two headers back to back",
                "start852Aend852start852Bend852", header("A"), header("B"), "END"));
        cases.add(c("overlapping prefix ststart852 keeps st as text",
                "ststart852{}end852x", text("st"), header("{}"), text("x"), "END"));
        cases.add(c("overlapping prefix start85start852 keeps start85 as text",
                "start85start852{}end852y", text("start85"), header("{}"), text("y"), "END"));
        cases.add(c("overlapping prefix in a header: end85end852 closes at the second",
                "start852{end85end852z", header("{end85"), text("z"), "END"));
        cases.add(c("near-miss start85 is text", "start85 is not a marker",
                text("start85 is not a marker"), "END"));
        cases.add(c("near-miss end85 inside a header is header content",
                "start852{end85}end852", header("{end85}"), "END"));
        cases.add(c("end852 with no open block is text", "done end852 still text",
                text("done end852 still text"), "END"));
        cases.add(c("start852 inside a header is header content",
                "start852{start852}end852", header("{start852}"), "END"));
        cases.add(c("the first end852 closes the block, the next is text",
                "start852end852end852", header(""), text("end852"), "END"));
        cases.add(c("digits 8, 5 and 2 near markers are text",
                "8888 start8 s852 start52 end8 52 88", text("8888 start8 s852 start52 end8 52 88"), "END"));
        cases.add(c("a trailer-only final chunk is dropped", "answerundefined", text("answer"), "END"));
        cases.add(c("a stream that is only the trailer has no text", "undefined", "END"));
        cases.add(c("double trailer: only the last is dropped", "answerundefinedundefined",
                text("answerundefined"), "END"));
        cases.add(c("undefine followed by the trailer keeps undefine", "answerundefineundefined",
                text("answerundefine"), "END"));
        cases.add(c("undefin with no trailer is text", "answer undefin", text("answer undefin"), "END"));
        cases.add(c("undefined mid-stream is text", "x undefined y", text("x undefined y"), "END"));
        cases.add(c("undefined just before a header is text", "undefinedstart852{}end852",
                text("undefined"), header("{}"), "END"));
        cases.add(c("undefined inside a header is content; the trailer after it is dropped",
                "start852undefinedend852undefined", header("undefined"), "END"));
        cases.add(c("a trailer after a header at the end is dropped", "text start852{}end852undefined",
                text("text "), header("{}"), "END"));
        cases.add(c("the trailer after a Chinese character is dropped", "中文undefined", text("中文"), "END"));
        cases.add(c("Chinese characters around a header", "中start852{\"k\":\"值\"}end852文",
                text("中"), header("{\"k\":\"值\"}"), text("文"), "END"));
        cases.add(c("4-byte characters survive every split", "😀𝄞 emoji 🀄️",
                text("😀𝄞 emoji 🀄️"), "END"));
        cases.add(new Case("invalid UTF-8 bytes are delivered as they are",
                concat(utf8("a"), new byte[] {(byte) 0xFF}, utf8("b"), new byte[] {(byte) 0xE4, (byte) 0xB8},
                        utf8("c"), new byte[] {(byte) 0xC0, (byte) 0x80, (byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                FrameDecoder.DEFAULT_MAX_HEADER_BYTES,
                "T:a\u00FFb\u00E4\u00B8c\u00C0\u0080\u00ED\u00A0\u0080", "END"));
        cases.add(new Case("a truncated character at the end of the stream is delivered",
                concat(utf8("end "), new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}),
                FrameDecoder.DEFAULT_MAX_HEADER_BYTES, "T:end \u00F0\u009F\u0098", "END"));
        cases.add(c("an empty body is a clean end", "", "END"));
        cases.add(c("an unterminated header is an error after the text before it",
                "before start852{\"a\":", text("before "), "ERR:UNTERMINATED_HEADER@7"));
        cases.add(c("an unterminated header ending in a partial end852 is an error",
                "start852{}end85", "ERR:UNTERMINATED_HEADER@0"));
        cases.add(c("the trailer inside an unterminated header is header content",
                "x start852{}undefined", text("x "), "ERR:UNTERMINATED_HEADER@2"));
        cases.add(new Case("an oversize header is an error after the text before it",
                utf8("pre start852{0123456789abcdef}end852 post"), 16, text("pre "), "ERR:HEADER_TOO_LARGE@4"));
        cases.add(new Case("a header exactly at the bound is accepted",
                utf8("pre start852{0123456789abcd}end852 post"), 16,
                text("pre "), header("{0123456789abcd}"), text(" post"), "END"));
        cases.add(new Case("a header at the bound that ends in a partial end852 is accepted",
                utf8("start852{0123456789end85end852 post"), 16,
                header("{0123456789end85"), text(" post"), "END"));
        cases.add(new Case("an unterminated header past the bound is reported as oversize",
                utf8("start852{0123456789abcdefghij"), 16, "ERR:HEADER_TOO_LARGE@0"));
        cases.add(new Case("a partial end852 that pushes an unterminated header past the bound is oversize",
                utf8("start852{0123456789abcd}en"), 16, "ERR:HEADER_TOO_LARGE@0"));
        cases.add(new Case("the bound counts bytes, not characters",
                utf8("start852中文中文中文end852"), 16, "ERR:HEADER_TOO_LARGE@0"));
        cases.add(new Case("text after a later oversize header is not delivered",
                utf8("a start852ok end852 b start852 way too long for sixteen end852 c"), 16,
                text("a "), header("ok "), text(" b "), "ERR:HEADER_TOO_LARGE@22"));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theReferenceDecoderAgreesWithTheTable(Case c) {
        assertThat(WireTesting.reference(c.body, c.maxHeader)).isEqualTo(c.expected);
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesWithFeeders")
    void decodesAtEverySplitPoint(Case c, Feeder feeder) {
        for (int cut = 0; cut <= c.body.length; cut++) {
            int[] cuts = cut == 0 || cut == c.body.length ? WireTesting.at() : WireTesting.at(cut);
            check(c, feeder, cuts, "split at " + cut);
        }
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesWithFeeders")
    void decodesAtEveryPairOfSplitPoints(Case c, Feeder feeder) {
        int n = Math.min(c.body.length, 48); // every pair inside the first 48 bytes: all markers of short bodies
        for (int a = 1; a < n; a++) {
            for (int b = a + 1; b < n; b++) {
                check(c, feeder, WireTesting.at(a, b), "split at " + a + " and " + b);
            }
        }
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesWithFeeders")
    void decodesAtFeedSizesOneTwoThreeAndWhole(Case c, Feeder feeder) {
        for (int size : new int[] {1, 2, 3, Math.max(1, c.body.length)}) {
            check(c, feeder, WireTesting.fixed(c.body.length, size), "feed size " + size);
        }
    }

    @ParameterizedTest(name = "{0} [{1}]")
    @MethodSource("casesWithFeeders")
    void decodesUnderSeededRandomChunkings(Case c, Feeder feeder) {
        Random random = new Random(852L * c.name.hashCode());
        for (int run = 0; run < 40; run++) {
            int[] cuts = WireTesting.random(c.body.length, random, 1 + random.nextInt(12));
            check(c, feeder, cuts, "random chunking " + java.util.Arrays.toString(cuts));
        }
    }

    /** Decodes with the given cuts; checks events and that text is delivered without delay. */
    static void check(Case c, Feeder feeder, int[] cuts, String how) {
        FrameRecorder recorder = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(recorder, c.maxHeader);
        feeder.feed(c.body, cuts, WireTesting.of(decoder), fedSoFar -> {
            if (recorder.error == null) {
                byte[] prefix = java.util.Arrays.copyOf(c.body, fedSoFar);
                assertThat(recorder.textBytes)
                        .as("%s: text delivered after %d bytes fed (%s)", c.name, fedSoFar, how)
                        .isEqualTo(WireTesting.deliverableText(prefix, c.maxHeader));
            }
        });
        decoder.finish();
        assertThat(recorder.events()).as("%s (%s)", c.name, how).isEqualTo(c.expected);
    }
}
