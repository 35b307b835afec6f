package dev.chat852.wire;

import static dev.chat852.wire.WireTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.wire.WireTesting.FrameRecorder;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the decoder treats its callers: misuse, handler failures, errors reported once. */
class FrameDecoderContractTest {

    @Test
    void feedingAfterFinishIsAnIllegalState() {
        FrameDecoder decoder = new FrameDecoder(new FrameRecorder());
        decoder.finish();
        assertThatThrownBy(() -> decoder.feed(new byte[1], 0, 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("finish()");
        assertThatThrownBy(decoder::finish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void feedingABufferOrNothingAfterFinishIsAnIllegalStateToo() {
        FrameDecoder decoder = new FrameDecoder(new FrameRecorder());
        decoder.feed(new byte[0], 0, 0);
        decoder.finish();
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(utf8("x")))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decoder.feed(new byte[0], 0, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.allocate(0))).isInstanceOf(IllegalStateException.class);
    }

    /** What the retention test measures: the header buffer, and the string layer's scratch and pending bytes. */
    @Test
    void retainedBytesCountTheHeaderBufferAndTheStringLayersArrays() {
        FrameDecoder frames = new FrameDecoder(new FrameRecorder());
        assertThat(frames.retainedBytes()).isZero();
        byte[] part = utf8("start852{\"" + "k".repeat(1000));
        frames.feed(part, 0, part.length); // a block that spans feeds is copied
        assertThat(frames.retainedBytes()).isGreaterThanOrEqualTo(1000);

        StreamDecoder strings = new StreamDecoder(text -> { });
        assertThat(strings.retainedBytes()).isEqualTo(256 + 4); // the scratch array and the pending character
        byte[] block = utf8("start852{\"" + "k".repeat(1000));
        strings.feed(block, 0, block.length);
        assertThat(strings.retainedBytes()).isGreaterThanOrEqualTo(1000 + 256 + 4);
    }

    @Test
    void theHeaderBoundIsTheOneGiven() {
        assertThat(new FrameDecoder(new FrameRecorder(), 16).maxHeaderBytes()).isEqualTo(16);
        assertThat(new FrameDecoder(new FrameRecorder()).maxHeaderBytes()).isEqualTo(FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
    }

    /**
     * A marker at every offset of the eight-byte words and 32-byte blocks the '8' scan reads, in text
     * long enough for the block loop, with more '8's before it: the scan must report each '8' where it is.
     */
    @Test
    void aMarkerIsFoundAtEveryOffsetOfTheScannedWordsAndBlocks() {
        for (int at = 0; at < 80; at++) {
            for (String filler : new String[] {"x", "8", "start85", "end8"}) {
                String before = filler.repeat(at / filler.length() + 1).substring(0, at);
                String body = before + "start852{\"k\":" + at + "}end852" + "y8".repeat(30) + "undefined";
                byte[] bytes = utf8(body);
                for (WireTesting.Feeder feeder : WireTesting.Feeder.values()) {
                    FrameRecorder recorder = new FrameRecorder();
                    FrameDecoder decoder = new FrameDecoder(recorder);
                    feeder.feed(bytes, WireTesting.at(), WireTesting.of(decoder), fed -> { });
                    decoder.finish();
                    assertThat(recorder.events()).as("marker at %d after %s via %s", at, filler, feeder)
                            .isEqualTo(WireTesting.reference(bytes, FrameDecoder.DEFAULT_MAX_HEADER_BYTES));
                }
            }
        }
    }

    @Test
    void anEightAtTheVeryStartOfAFedArrayDoesNotHideTheMarkerAfterIt() {
        byte[] bytes = utf8("8 start852{}end852 8 start852{\"b\":2}end852");
        List<String> expected = WireTesting.reference(bytes, FrameDecoder.DEFAULT_MAX_HEADER_BYTES);
        FrameRecorder fromArray = new FrameRecorder();
        FrameDecoder arrays = new FrameDecoder(fromArray);
        arrays.feed(bytes, 0, bytes.length);
        arrays.finish();
        FrameRecorder fromBuffer = new FrameRecorder();
        FrameDecoder buffers = new FrameDecoder(fromBuffer);
        buffers.feed(ByteBuffer.wrap(bytes));
        buffers.finish();

        assertThat(expected).contains(WireTesting.header("{}"), WireTesting.header("{\"b\":2}"));
        assertThat(fromArray.events()).isEqualTo(expected);
        assertThat(fromBuffer.events()).isEqualTo(expected);
    }

    @Test
    void aRangeOutsideTheArrayIsRejectedBeforeAnythingIsDecoded() {
        FrameRecorder recorder = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(recorder);
        assertThatThrownBy(() -> decoder.feed(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(decoder.bytesFed()).isZero();
    }

    @Test
    void aNegativeHeaderBoundIsRejectedWithItsValue() {
        assertThatThrownBy(() -> new FrameDecoder(new FrameRecorder(), -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void afterAProtocolErrorFurtherInputIsDiscardedAndNoEndIsReported() {
        FrameRecorder recorder = new FrameRecorder();
        FrameDecoder decoder = new FrameDecoder(recorder, 4);
        byte[] body = utf8("a start852toolong");
        decoder.feed(body, 0, body.length);
        ByteBuffer more = ByteBuffer.wrap(utf8("end852 more text"));
        decoder.feed(more);
        decoder.finish();
        assertThat(more.hasRemaining()).isFalse();
        assertThat(recorder.events()).containsExactly("T:a ", "ERR:HEADER_TOO_LARGE@2");
        assertThat(recorder.error.partialHeader()).isEqualTo("tool");
        assertThat(recorder.error).hasMessageContaining("limit of 4 bytes");
    }

    @Test
    void byDefaultAProtocolErrorIsThrownFromTheFeedThatFoundIt() {
        FrameDecoder decoder = new FrameDecoder(new FrameHandler() {
            @Override
            public void onText(ByteBuffer text) {
            }

            @Override
            public void onHeader(ByteBuffer header) {
            }
        }, 2);
        byte[] body = utf8("start852abc");
        assertThatThrownBy(() -> decoder.feed(body, 0, body.length))
                .isInstanceOf(FramingException.class)
                .hasMessageContaining("longer than the limit of 2 bytes");
    }

    @Test
    void aHandlerThatThrowsStopsTheDecoderAndTheExceptionReachesTheCaller() {
        RuntimeException boom = new RuntimeException("boom");
        FrameDecoder decoder = new FrameDecoder(new FrameHandler() {
            @Override
            public void onText(ByteBuffer text) {
                throw boom;
            }

            @Override
            public void onHeader(ByteBuffer header) {
            }
        });
        assertThatThrownBy(() -> decoder.feed(utf8("x"), 0, 1)).isSameAs(boom);
        decoder.feed(utf8("y"), 0, 1); // discarded, not delivered again
        decoder.finish();
    }

    @Test
    void textBuffersAreReadOnlyViewsOfTheFedArrayWithoutCopying() {
        byte[] body = utf8("hello start852{}end852");
        ByteBuffer[] seen = new ByteBuffer[1];
        FrameDecoder decoder = new FrameDecoder(new FrameHandler() {
            @Override
            public void onText(ByteBuffer text) {
                seen[0] = text;
                assertThat(text.isReadOnly()).isTrue();
                assertThat(text.capacity()).isEqualTo(body.length); // a view of the fed array, not a copy
                assertThat(text.position()).isZero();
                assertThat(text.limit()).isEqualTo(6);
            }

            @Override
            public void onHeader(ByteBuffer header) {
                assertThat(header.capacity()).isEqualTo(body.length);
            }
        });
        decoder.feed(body, 0, body.length);
        decoder.finish();
        assertThat(seen[0]).isNotNull();
    }
}
