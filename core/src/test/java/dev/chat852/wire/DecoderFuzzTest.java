package dev.chat852.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.chat852.wire.WireTesting.Feeder;
import dev.chat852.wire.WireTesting.FrameRecorder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Coverage-guided fuzzing of both decoders against the whole-body reference: any body, under any
 * chunking and feeder, ended by {@code finish()} or {@code streamFailed()}, must give the reference's
 * events, and must deliver text as early as rule 5 demands after every feed.
 *
 * <p>Input layout: byte 0 = header bound (bits 0-4, 31 meaning the default) and feeder (bits 5-7);
 * byte 1 = whether the stream fails (bit 7) and the largest chunk (1 + bits 0-5); byte 2 = the seed of
 * the chunk sizes; the rest is the body. The committed corpus is in
 * {@code src/test/resources/dev/chat852/wire/DecoderFuzzTestInputs}; the build replays it in every
 * test run and fuzzes for a few seconds (see docs/reliability.md for a longer run).
 */
class DecoderFuzzTest {

    @FuzzTest
    @DictionaryEntries({"start852", "end852", "undefined", "start85", "end85", "undefin", "8", "\u4e2d",
        "\ud83d\ude00"})
    void anyChunkingGivesTheEventsOfTheWholeBodyReference(byte[] input) {
        if (input.length < 3) {
            return;
        }
        int bound = input[0] & 0x1F;
        int maxHeader = bound == 0x1F ? FrameDecoder.DEFAULT_MAX_HEADER_BYTES : bound;
        Feeder feeder = Feeder.values()[((input[0] & 0xFF) >>> 5) % Feeder.values().length];
        boolean fails = (input[1] & 0x80) != 0;
        int maxChunk = 1 + (input[1] & 0x3F);
        byte[] body = Arrays.copyOfRange(input, 3, input.length);
        int[] cuts = WireTesting.random(body.length, new Random(input[2]), maxChunk);

        List<String> expected = fails ? WireTesting.referenceOnFailure(body, maxHeader)
                : WireTesting.reference(body, maxHeader);
        FrameRecorder frames = new FrameRecorder();
        FrameDecoder frameDecoder = new FrameDecoder(frames, maxHeader);
        feeder.feed(body, cuts, WireTesting.of(frameDecoder), fed -> {
            if (frames.error == null) {
                assertThat(frames.textBytes).as("text delivered after %d bytes", fed)
                        .isEqualTo(WireTesting.deliverableText(Arrays.copyOf(body, fed), maxHeader));
            }
        });
        if (fails) {
            frameDecoder.streamFailed();
        } else {
            frameDecoder.finish();
        }
        assertThat(frames.events()).as("frames, cuts %s via %s", Arrays.toString(cuts), feeder).isEqualTo(expected);

        List<String> strings = fails ? StreamFailedTest.strings(body, cuts, feeder, maxHeader)
                : StreamDecoderTest.decode(body, cuts, feeder, maxHeader);
        assertThat(strings).as("strings, cuts %s via %s", Arrays.toString(cuts), feeder)
                .isEqualTo(WireTesting.asStrings(expected));
    }
}
