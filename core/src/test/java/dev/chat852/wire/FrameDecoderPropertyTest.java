package dev.chat852.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.wire.WireTesting.Feeder;
import dev.chat852.wire.WireTesting.FrameRecorder;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random bodies built from the pieces that make decoding hard (markers, their prefixes, the trailer,
 * multi-byte and invalid bytes), decoded under random chunkings, as bytes and as strings, and compared
 * with the reference decoder. Seeds are fixed so a failure replays.
 */
class FrameDecoderPropertyTest {

    private static final String[] PIECES = {
        "start852", "end852", "undefined", "start85", "st", "s", "end85", "e", "en", "undefin", "u",
        "8", "52", " ", "hello", "数据", "中", "😀", "{\"a\":1}", "\n",
    };
    private static final byte[][] RAW = {
        {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xE4}, {(byte) 0xE4, (byte) 0xB8}, {(byte) 0xF0, (byte) 0x9F},
        {(byte) 0xED, (byte) 0xA0}, {(byte) 0xC0},
    };

    static LongStream seeds() {
        return LongStream.range(0, 300);
    }

    static byte[] randomBody(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = random.nextInt(30);
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(8) == 0) {
                out.writeBytes(RAW[random.nextInt(RAW.length)]);
            } else {
                out.writeBytes(WireTesting.utf8(PIECES[random.nextInt(PIECES.length)]));
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomBodiesDecodeLikeTheReferenceUnderAnyChunking(long seed) {
        Random random = new Random(seed);
        byte[] body = randomBody(random);
        int maxHeader = random.nextBoolean() ? FrameDecoder.DEFAULT_MAX_HEADER_BYTES : random.nextInt(24);
        var expected = WireTesting.reference(body, maxHeader);
        Feeder[] feeders = Feeder.values();
        for (int run = 0; run < 20; run++) {
            int[] cuts = run == 0 ? WireTesting.fixed(body.length, 1) : WireTesting.random(body.length, random, 1 + random.nextInt(16));
            Feeder feeder = feeders[run % feeders.length];
            FrameRecorder recorder = new FrameRecorder();
            FrameDecoder decoder = new FrameDecoder(recorder, maxHeader);
            feeder.feed(body, cuts, WireTesting.of(decoder), fed -> {
                if (recorder.error == null) {
                    assertThat(recorder.textBytes)
                            .as("text delivered after %d bytes, cuts %s", fed, Arrays.toString(cuts))
                            .isEqualTo(WireTesting.deliverableText(Arrays.copyOf(body, fed), maxHeader));
                }
            });
            decoder.finish();
            assertThat(recorder.events())
                    .as("body %s, max header %d, cuts %s via %s", WireTesting.latin1(body), maxHeader,
                            Arrays.toString(cuts), feeder)
                    .isEqualTo(expected);
            assertThat(StreamDecoderTest.decode(body, cuts, feeder, maxHeader))
                    .as("strings: body %s, max header %d, cuts %s via %s", WireTesting.latin1(body), maxHeader,
                            Arrays.toString(cuts), feeder)
                    .isEqualTo(WireTesting.asStrings(expected));
        }
    }
}
