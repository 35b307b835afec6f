package dev.chat852.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.wire.WireTesting.Feeder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random event streams built from the pieces that make decoding hard (line ends of every kind, field
 * names and their near misses, colons, spaces, comments, byte order marks, multi-byte and invalid
 * bytes), decoded under random chunkings through every feeder and compared with the reference decoder;
 * and the decoder's contract (bounded memory, feeding after the end). Seeds are fixed so a failure replays.
 */
class SseDecoderPropertyTest {

    private static final String[] PIECES = {
        "data", "data:", "data: ", "event:", "event: e", "id:", "id: 7", "retry:", "retry: 15", "dat", ":", " ",
        "\n", "\r", "\r\n", "\n\n", "\r\n\r\n", "x", "hello", "中", "😀", "{\"a\":1}", "[DONE]", "\uFEFF", "DATA:",
    };
    private static final byte[][] RAW = {
        {(byte) 0xFF}, {(byte) 0xEF}, {(byte) 0xEF, (byte) 0xBB}, {(byte) 0xE4, (byte) 0xB8}, {0},
    };

    static LongStream seeds() {
        return LongStream.range(0, 400);
    }

    static byte[] randomBody(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = random.nextInt(40);
        for (int i = 0; i < pieces; i++) {
            if (random.nextInt(10) == 0) {
                out.writeBytes(RAW[random.nextInt(RAW.length)]);
            } else {
                out.writeBytes(WireTesting.utf8(PIECES[random.nextInt(PIECES.length)]));
            }
        }
        return out.toByteArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomStreamsDecodeLikeTheReferenceUnderAnyChunking(long seed) {
        Random random = new Random(seed);
        byte[] body = randomBody(random);
        int maxEvent = random.nextBoolean() ? SseDecoder.DEFAULT_MAX_EVENT_BYTES : random.nextInt(24);
        List<String> expected = SseTesting.reference(body, maxEvent, true);
        Feeder[] feeders = Feeder.values();
        for (int run = 0; run < 20; run++) {
            int[] cuts = run == 0 ? WireTesting.fixed(body.length, 1) : WireTesting.random(body.length, random, 1 + random.nextInt(16));
            assertThat(SseTesting.decode(body, cuts, feeders[run % feeders.length], maxEvent, Arrays.toString(cuts)))
                    .as("seed %d, cuts %s", seed, Arrays.toString(cuts)).isEqualTo(expected);
        }
    }

    @Test
    void memoryStaysAtTheBoundWhateverTheStreamSends() {
        SseTesting.Recorder recorder = new SseTesting.Recorder();
        SseDecoder decoder = new SseDecoder(recorder, 4096);
        byte[] comment = WireTesting.utf8(":" + "c".repeat(1 << 20) + "\n");
        decoder.feed(comment, 0, comment.length);
        byte[] unknown = WireTesting.utf8("x-field: " + "v".repeat(1 << 20) + "\n\n");
        for (int i = 0; i < unknown.length; i += 1000) {
            decoder.feed(unknown, i, Math.min(1000, unknown.length - i));
        }
        assertThat(decoder.retainedBytes()).isZero(); // skipped lines are never kept

        byte[] endless = WireTesting.utf8("data: " + "d".repeat(1 << 20));
        for (int i = 0; i < endless.length; i += 1000) {
            decoder.feed(endless, i, Math.min(1000, endless.length - i));
        }
        assertThat(decoder.retainedBytes()).isLessThanOrEqualTo(4096);
        assertThat(recorder.events).containsExactly("ERR:EVENT_TOO_LARGE@" + (comment.length + unknown.length));
    }

    @Test
    void anEventInOneFeedIsAViewOfTheFedBytesAndASplitOneIsCopied() {
        ByteBuffer[] seen = new ByteBuffer[1];
        SseDecoder decoder = new SseDecoder((type, data, id) -> seen[0] = data);
        byte[] body = WireTesting.utf8("data: abc\n\n");
        decoder.feed(body, 0, body.length);
        assertThat(decoder.retainedBytes()).isZero();
        body[6] = 'X'; // the view shares the fed array
        assertThat(seen[0].get(seen[0].position())).isEqualTo((byte) 'X');

        decoder.feed(body, 0, 7);
        body[6] = 'Y';
        decoder.feed(body, 7, body.length - 7);
        assertThat(decoder.retainedBytes()).isPositive();
        assertThat(seen[0].get(seen[0].position())).isEqualTo((byte) 'X'); // copied before the caller changed it
    }

    @Test
    void feedingAfterTheEndIsRefusedAndStreamFailedIsSafeAnywhere() {
        SseTesting.Recorder recorder = new SseTesting.Recorder();
        SseDecoder decoder = new SseDecoder(recorder);
        byte[] body = WireTesting.utf8("data: a\n\ndata: b");
        decoder.feed(body, 0, body.length);
        decoder.streamFailed();
        decoder.streamFailed();
        assertThat(recorder.events).containsExactly(SseTesting.message("a")); // the open event is dropped, no END
        assertThatThrownBy(() -> decoder.feed(body, 0, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(decoder::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SseDecoder(recorder, -1)).hasMessageContaining("maxEventBytes");
    }

    @Test
    void afterFinishFeedingAnArrayOrABufferIsRefused() {
        SseTesting.Recorder recorder = new SseTesting.Recorder();
        SseDecoder decoder = new SseDecoder(recorder);
        byte[] body = WireTesting.utf8("data: a\n\n");
        decoder.feed(ByteBuffer.wrap(body));
        decoder.finish();
        assertThat(recorder.events).containsExactly(SseTesting.message("a"), "END");
        assertThatThrownBy(() -> decoder.feed(body, 0, body.length)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(body))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("finish()");
        assertThat(recorder.events).containsExactly(SseTesting.message("a"), "END");
    }

    @Test
    void aLineEndAtTheVeryStartOfAFedArrayEndsTheLine() {
        SseTesting.Recorder recorder = new SseTesting.Recorder();
        SseDecoder decoder = new SseDecoder(recorder);
        for (String piece : new String[] {"data: a", "\n\n: note", "\ndata: b", "\r\n\r\n"}) {
            byte[] own = WireTesting.utf8(piece); // each piece its own array, fed from index 0
            decoder.feed(own, 0, own.length);
        }
        decoder.finish();
        assertThat(recorder.events).containsExactly(SseTesting.message("a"), SseTesting.message("b"), "END");
    }

    @Test
    void anEventTypeThatSpansFeedsIsKeptAndCounted() {
        SseDecoder decoder = new SseDecoder(new SseTesting.Recorder());
        byte[] body = WireTesting.utf8("event: delta");
        decoder.feed(body, 0, body.length);
        assertThat(decoder.retainedBytes()).isGreaterThanOrEqualTo("delta".length());
    }

    @Test
    void theEventBoundIsTheOneGivenOrOneMebibyte() {
        assertThat(new SseDecoder(new SseTesting.Recorder(), 123).maxEventBytes()).isEqualTo(123);
        assertThat(new SseDecoder(new SseTesting.Recorder()).maxEventBytes()).isEqualTo(1 << 20);
    }

    @Test
    void aHandlerThatThrowsStopsTheStream() {
        int[] calls = new int[1];
        SseDecoder decoder = new SseDecoder((type, data, id) -> {
            calls[0]++;
            throw new IllegalStateException("consumer failed");
        });
        byte[] body = WireTesting.utf8("data: a\n\ndata: b\n\n");
        assertThatThrownBy(() -> decoder.feed(body, 0, body.length)).hasMessage("consumer failed");
        decoder.feed(body, 0, body.length);
        decoder.finish();
        assertThat(calls[0]).isEqualTo(1);
    }
}
