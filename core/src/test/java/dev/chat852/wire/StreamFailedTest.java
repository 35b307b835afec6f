package dev.chat852.wire;

import static dev.chat852.wire.WireTesting.concat;
import static dev.chat852.wire.WireTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.wire.StreamDecoderTest.StringRecorder;
import dev.chat852.wire.WireTesting.Feeder;
import dev.chat852.wire.WireTesting.FrameRecorder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Rule 5 when a stream fails: {@code streamFailed()} after any number of bytes delivers every byte
 * held back as text (a split character as U+FFFD), then nothing more. Every case of the table is cut
 * at every byte, and each cut body is fed at every split point and at feed sizes 1, 2, 3 and whole.
 */
class StreamFailedTest {

    static List<FrameDecoderCasesTest.Case> cases() {
        return FrameDecoderCasesTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aStreamThatFailsAfterAnyByteDeliversWhatItHeldBackAtEverySplitAndFeedSize(FrameDecoderCasesTest.Case c) {
        Feeder[] feeders = Feeder.values();
        for (int broken = 0; broken <= c.body.length; broken++) {
            byte[] body = Arrays.copyOf(c.body, broken);
            List<String> expected = WireTesting.referenceOnFailure(body, c.maxHeader);
            List<String> expectedStrings = WireTesting.asStrings(expected);
            for (int cut = 0; cut <= body.length; cut++) {
                int[] cuts = cut == 0 || cut == body.length ? WireTesting.at() : WireTesting.at(cut);
                Feeder feeder = feeders[(broken + cut) % feeders.length];
                String how = "broken after " + broken + " bytes, split at " + cut + " via " + feeder;
                assertThat(frames(body, cuts, feeder, c.maxHeader)).as(how).isEqualTo(expected);
                assertThat(strings(body, cuts, feeder, c.maxHeader)).as(how).isEqualTo(expectedStrings);
            }
            for (int size : new int[] {1, 2, 3, Math.max(1, body.length)}) {
                Feeder feeder = feeders[(broken + size) % feeders.length];
                int[] cuts = WireTesting.fixed(body.length, size);
                String how = "broken after " + broken + " bytes, feed size " + size + " via " + feeder;
                assertThat(frames(body, cuts, feeder, c.maxHeader)).as(how).isEqualTo(expected);
                assertThat(strings(body, cuts, feeder, c.maxHeader)).as(how).isEqualTo(expectedStrings);
            }
        }
    }

    /** The case: {@code I like cats} cut after any byte keeps every letter the server sent. */
    @Test
    void anAnswerCutAfterAnyByteKeepsEveryLetterThatArrived() {
        String header = "start852{\"apiDate\":\"2026-11-25\"}end852";
        byte[] body = utf8(header + "I like cats");
        for (int broken = header.length(); broken <= body.length; broken++) {
            byte[] cut = Arrays.copyOf(body, broken);
            for (int size : new int[] {1, 2, 3, Math.max(1, cut.length)}) {
                StringRecorder recorder = new StringRecorder();
                StreamDecoder decoder = new StreamDecoder(recorder);
                Feeder.HEAP_BUFFER.feed(cut, WireTesting.fixed(cut.length, size), WireTesting.of(decoder), fed -> { });
                decoder.streamFailed();
                assertThat(recorder.text).as("broken after %d bytes, feed size %d", broken, size)
                        .hasToString("I like cats".substring(0, broken - header.length()));
                assertThat(recorder.events).doesNotContain("END");
            }
        }
    }

    @Test
    void theSOfStartHeldAtTheBreakIsDeliveredAsText() {
        StringRecorder recorder = new StringRecorder();
        StreamDecoder decoder = new StreamDecoder(recorder);
        byte[] body = utf8("I like cats");
        decoder.feed(body, 0, body.length);
        assertThat(recorder.text).hasToString("I like cat"); // "s" could begin start852
        decoder.streamFailed();
        assertThat(recorder.text).hasToString("I like cats");
        assertThat(events(recorder)).containsExactly("T:I like cats");
    }

    @Test
    void aCharacterSplitAtTheBreakBecomesAReplacementCharacter() {
        byte[] body = concat(utf8("答"), new byte[] {(byte) 0xE6});
        for (int cut = 0; cut <= body.length; cut++) {
            int[] cuts = cut == 0 || cut == body.length ? WireTesting.at() : WireTesting.at(cut);
            for (Feeder feeder : Feeder.values()) {
                assertThat(strings(body, cuts, feeder, 64)).as("split at %d via %s", cut, feeder)
                        .containsExactly("T:答\uFFFD");
            }
        }
    }

    @Test
    void aPartialTrailerIsTextButACompleteOneIsDroppedAsAtTheEnd() {
        assertThat(strings(utf8("answer undef"), WireTesting.at(), Feeder.PADDED_ARRAY, 64))
                .containsExactly("T:answer undef");
        assertThat(strings(utf8("answerundefined"), WireTesting.fixed(15, 1), Feeder.PADDED_ARRAY, 64))
                .containsExactly("T:answer");
    }

    @Test
    void aHeaderBlockOpenAtTheBreakIsDroppedWithoutAProtocolError() {
        StringRecorder recorder = new StringRecorder();
        StreamDecoder decoder = new StreamDecoder(recorder);
        byte[] body = utf8("kept start852{\"a\":1}end8");
        decoder.feed(body, 0, body.length);
        decoder.streamFailed();
        assertThat(events(recorder)).containsExactly("T:kept ");
        assertThat(recorder.error).isNull();
    }

    @Test
    void anOversizeHeaderFoundBeforeTheBreakIsStillReportedOnce() {
        FrameRecorder recorder = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(recorder, 4);
        byte[] body = utf8("a start852toolong");
        decoder.feed(body, 0, body.length);
        decoder.streamFailed();
        assertThat(recorder.events()).containsExactly("T:a ", "ERR:HEADER_TOO_LARGE@2");
    }

    @Test
    void afterStreamFailedTheHandlerHearsNothingMoreAndFeedingIsAnIllegalState() {
        List<String> calls = new ArrayList<>();
        StreamDecoder decoder = new StreamDecoder(new StreamHandler() {
            @Override
            public void onText(String text) {
                calls.add("text " + text);
            }

            @Override
            public void onEnd() {
                calls.add("end");
            }

            @Override
            public void onError(FramingException error) {
                calls.add("error");
            }
        });
        byte[] body = utf8("hi st");
        decoder.feed(body, 0, body.length);
        decoder.streamFailed();
        decoder.streamFailed(); // a second report of the same failure changes nothing
        assertThat(calls).containsExactly("text hi ", "text st");
        assertThatThrownBy(() -> decoder.feed(body, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(decoder::finish).isInstanceOf(IllegalStateException.class);
        assertThat(calls).containsExactly("text hi ", "text st");
    }

    @Test
    void streamFailedAfterFinishDoesNothing() {
        FrameRecorder recorder = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(recorder);
        decoder.feed(ByteBuffer.wrap(utf8("done st")));
        decoder.finish();
        decoder.streamFailed();
        assertThat(recorder.events()).containsExactly("T:done st", "END");
    }

    @Test
    void afterAHandlerThrewStreamFailedDeliversNothingMore() {
        List<String> seen = new ArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        StreamDecoder decoder = new StreamDecoder(text -> {
            seen.add(text);
            throw boom;
        });
        byte[] body = utf8("plain 中");
        byte[] half = Arrays.copyOf(body, body.length - 1);
        assertThatThrownBy(() -> decoder.feed(half, 0, half.length)).isSameAs(boom);
        decoder.streamFailed();
        assertThat(seen).containsExactly("plain ");
    }

    static List<String> frames(byte[] body, int[] cuts, Feeder feeder, int maxHeader) {
        FrameRecorder recorder = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(recorder, maxHeader);
        feeder.feed(body, cuts, WireTesting.of(decoder), fed -> {
            if (recorder.error == null) {
                assertThat(recorder.textBytes).as("text delivered after %d bytes", fed)
                        .isEqualTo(WireTesting.deliverableText(Arrays.copyOf(body, fed), maxHeader));
            }
        });
        decoder.streamFailed();
        return recorder.events();
    }

    static List<String> strings(byte[] body, int[] cuts, Feeder feeder, int maxHeader) {
        StringRecorder recorder = new StringRecorder();
        StreamDecoder decoder = new StreamDecoder(recorder, maxHeader);
        feeder.feed(body, cuts, WireTesting.of(decoder), fed -> { });
        decoder.streamFailed();
        return events(recorder);
    }

    /** The recorder's events with the text after the last of them: no end event flushes it. */
    private static List<String> events(StringRecorder recorder) {
        List<String> events = new ArrayList<>(recorder.events);
        if (recorder.pending.length() > 0) {
            events.add("T:" + recorder.pending);
        }
        return events;
    }
}
