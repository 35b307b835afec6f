package dev.chat852.wire;

import static dev.chat852.wire.SseTesting.event;
import static dev.chat852.wire.SseTesting.message;
import static dev.chat852.wire.WireTesting.concat;
import static dev.chat852.wire.WireTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.wire.WireTesting.Feeder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The event-stream rules as a table of cases, each with its expected events written out by hand (and
 * checked against the reference decoder). Every case is decoded at every split point, at every pair of
 * split points for short bodies, at feed sizes 1, 2, 3 and whole, under seeded random chunkings, and
 * through every {@link Feeder}; every run must give exactly the expected events, each event as soon as
 * its blank line has been fed.
 */
class SseDecoderCasesTest {

    /** One row: a body, the events it must decode to, and the event bound to use. */
    static final class Case {
        final String name;
        final byte[] body;
        final List<String> expected;
        final int maxEvent;

        Case(String name, byte[] body, int maxEvent, String... expected) {
            this.name = name;
            this.body = body;
            this.maxEvent = maxEvent;
            this.expected = List.of(expected);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Case c(String name, String body, String... expected) {
        return new Case(name, utf8(body), SseDecoder.DEFAULT_MAX_EVENT_BYTES, expected);
    }

    static final String CHUNK = "{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"你好\"}}]}";

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(c("an OpenAI stream: data lines, blank lines, [DONE]",
                "data: " + CHUNK + "\n\ndata: [DONE]\n\n", message(CHUNK), message("[DONE]"), "END"));
        cases.add(c("CRLF line ends", "data: a\r\n\r\ndata: b\r\n\r\n", message("a"), message("b"), "END"));
        cases.add(c("a lone CR ends a line", "data: a\r\rdata: b\r\r", message("a"), message("b"), "END"));
        cases.add(c("CR, LF and CRLF mixed in one event", "data: a\rdata: b\ndata: c\r\n\n",
                message("a\nb\nc"), "END"));
        cases.add(c("CR CR LF is a line end then a blank line", "data: a\r\r\ndata: b\n\n",
                message("a"), message("b"), "END"));
        cases.add(c("LF CR is a line end then a blank line", "data: a\n\rdata: b\n\n", message("a"), message("b"), "END"));
        cases.add(c("multi-line data is joined with LF, an empty data line included",
                "data: first\ndata: second\ndata:\ndata: fourth\n\n", message("first\nsecond\n\nfourth"), "END"));
        cases.add(c("comments are skipped, between and inside events",
                ": keep-alive\n\ndata: x\n: a comment: with data: in it\ndata: y\n:\n\n", message("x\ny"), "END"));
        cases.add(c("a comment that looks like data is a comment", ":data: x\n\n", "END"));
        cases.add(c("event, id and retry fields; the type resets, the id stays",
                "event: delta\nid: 42\nretry: 3000\ndata: x\n\ndata: y\n\n",
                "R:3000", event("delta", "x", "42"), event("message", "y", "42"), "END"));
        cases.add(c("an id with U+0000 is ignored; an empty id clears it",
                "id: 1\ndata: a\n\nid: a\u0000b\ndata: b\n\nid\ndata: c\n\n",
                event("message", "a", "1"), event("message", "b", "1"), event("message", "c", ""), "END"));
        cases.add(c("retry with anything but digits is ignored", "retry: 12a\nretry:\nretry: 07\nretry: 1 \ndata: x\n\n",
                "R:7", message("x"), "END"));
        cases.add(c("retry takes every digit, 9 included, up to the largest long, and saturates past it",
                "retry: 9\nretry: 9223372036854775800\nretry: 99999999999999999999\ndata: x\n\n",
                "R:9", "R:9223372036854775800", "R:" + Long.MAX_VALUE, message("x"), "END"));
        cases.add(c("a longer name that begins with a field's name is unknown",
                "retry1: 5\nevents: e\nid123: 4\ndata: x\n\n", message("x"), "END"));
        cases.add(c("one space after the colon is dropped, no more", "data:x\n\ndata:  x\n\ndata:\tx\n\n",
                message("x"), message(" x"), message("\tx"), "END"));
        cases.add(c("a colon in the value is value", "data: a: b\n\n", message("a: b"), "END"));
        cases.add(c("a field with no colon has an empty value", "data\n\ndata\ndata\n\n", message(""), message("\n"), "END"));
        cases.add(c("unknown fields are ignored, names are exact and case-sensitive",
                "foo: bar\ndata: x\nDATA: y\ndata : z\ndatas: w\n  \nid2: 3\n\n", message("x"), "END"));
        cases.add(c("an event with no data line is not dispatched, and its type is dropped",
                "event: ping\n\ndata: x\n\n", message("x"), "END"));
        cases.add(c("an empty event type is message", "event:\ndata: x\n\n", message("x"), "END"));
        cases.add(c("blank lines alone dispatch nothing", "\n\r\n\r\n\n", "END"));
        cases.add(c("a leading byte order mark is skipped", "\uFEFFdata: x\n\n", message("x"), "END"));
        cases.add(c("a byte order mark later is no mark", "data: x\n\n\uFEFFdata: y\n\ndata: z\n\n",
                message("x"), message("z"), "END"));
        cases.add(new Case("a partial byte order mark makes the first line an unknown field",
                concat(new byte[] {(byte) 0xEF, (byte) 0xBB}, utf8("data: x\n\ndata: y\n\n")),
                SseDecoder.DEFAULT_MAX_EVENT_BYTES, message("y"), "END"));
        cases.add(c("a final event without its blank line is dispatched at the end", "data: x\n", message("x"), "END"));
        cases.add(c("a final line without its line break is a line", "event: e\ndata: x", event("e", "x", ""), "END"));
        cases.add(c("a final CR ends the last line", "data: x\r", message("x"), "END"));
        cases.add(c("a final data field with no value is an empty event", "data: a\n\ndata", message("a"), message(""), "END"));
        cases.add(c("a final retry line counts", "data: a\nretry: 5", "R:5", message("a"), "END"));
        cases.add(c("an empty body is a clean end", "", "END"));
        cases.add(c("multi-byte characters are data bytes", "data: 你好😀\n\n", message("你好😀"), "END"));
        cases.add(new Case("invalid UTF-8 is delivered as bytes",
                concat(utf8("data: a"), new byte[] {(byte) 0xFF, (byte) 0xE4, (byte) 0xB8}, utf8("\n\n")),
                SseDecoder.DEFAULT_MAX_EVENT_BYTES, "E:message|a\u00FF\u00E4\u00B8|", "END"));
        cases.add(new Case("an event past the bound is an error after the events before it",
                utf8("data: 12345678\n\ndata: 123456789\n\ndata: x\n\n"), 8,
                message("12345678"), "ERR:EVENT_TOO_LARGE@16"));
        cases.add(new Case("the bound counts the line feeds that join data lines",
                utf8("data: 1234\ndata: 5678\n\n"), 8, "ERR:EVENT_TOO_LARGE@0"));
        cases.add(new Case("a data line after data at the bound passes it with its joining line feed",
                utf8("data: 12345678\ndata:\n\n"), 8, "ERR:EVENT_TOO_LARGE@0"));
        cases.add(new Case("data lines exactly at the bound are accepted",
                utf8("data: 123\ndata: 4567\n\ndata: 12345678"), 8, message("123\n4567"), message("12345678"), "END"));
        cases.add(new Case("an event type past the bound is an error", utf8(": c\nevent: 12345\ndata: x\n\n"), 4,
                "ERR:EVENT_TOO_LARGE@4"));
        cases.add(new Case("long comments and unknown fields cost nothing against the bound",
                utf8(":" + "c".repeat(40) + "\nx-long: " + "v".repeat(40) + "\ndata: ok\n\n"), 4, message("ok"), "END"));
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
        assertThat(SseTesting.reference(c.body, c.maxEvent, true)).isEqualTo(c.expected);
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
        int n = Math.min(c.body.length, 48);
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
            check(c, feeder, cuts, "random chunking " + Arrays.toString(cuts));
        }
    }

    static void check(Case c, Feeder feeder, int[] cuts, String how) {
        assertThat(SseTesting.decode(c.body, cuts, feeder, c.maxEvent, how)).as("%s (%s)", c.name, how)
                .isEqualTo(c.expected);
    }
}
