package dev.chat852.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of MiB through one decoder, generated on the fly, in random chunk sizes. Surefire runs
 * core's tests with {@code -Xmx256m}, so a decoder that kept what it was fed would run out of memory;
 * the decoder's own buffers are also checked after every feed.
 */
class FrameDecoderLongStreamTest {
    private static final long TOTAL = 512L * 1024 * 1024;
    private static final int MAX_HEADER = 4096;

    @Test
    void aLongStreamIsDecodedCompletelyWithBoundedRetainedMemory() {
        Random random = new Random(852);
        // One segment: text with split-prone characters and marker look-alikes, then a header.
        StringBuilder text = new StringBuilder();
        while (text.length() < 200_000) {
            text.append("答案 answer 8 start85 end852 undefined 😀 ");
        }
        String header = "{\"sdLimitCount\":8,\"pad\":\"" + "x".repeat(MAX_HEADER - 40) + "\"}";
        byte[] segment = (text + "start852" + header + "end852").getBytes(StandardCharsets.UTF_8);
        long textPerSegment = text.toString().getBytes(StandardCharsets.UTF_8).length;
        long segments = TOTAL / segment.length;

        long[] textBytes = {0};
        long[] headers = {0};
        boolean[] ended = {false};
        FrameDecoder decoder = new FrameDecoder(new FrameHandler() {
            @Override
            public void onText(ByteBuffer t) {
                textBytes[0] += t.remaining();
            }

            @Override
            public void onHeader(ByteBuffer h) {
                assertThat(h.remaining()).isEqualTo(header.length());
                headers[0]++;
            }

            @Override
            public void onEnd() {
                ended[0] = true;
            }
        }, MAX_HEADER);

        int maxRetained = 0;
        for (long s = 0; s < segments; s++) {
            for (int off = 0; off < segment.length; ) {
                int len = Math.min(segment.length - off, 1 + random.nextInt(random.nextBoolean() ? 64 : 65536));
                decoder.feed(segment, off, len);
                off += len;
                maxRetained = Math.max(maxRetained, decoder.retainedBytes());
            }
        }
        decoder.feed("the end".getBytes(StandardCharsets.US_ASCII), 0, 7);
        decoder.finish();

        assertThat(decoder.bytesFed()).isEqualTo(segments * segment.length + 7).isGreaterThan(400L << 20);
        assertThat(textBytes[0]).isEqualTo(segments * textPerSegment + 7);
        assertThat(headers[0]).isEqualTo(segments);
        assertThat(ended[0]).isTrue();
        // Only the header buffer, bounded by MAX_HEADER: nothing grows with the input.
        assertThat(maxRetained).isLessThanOrEqualTo(MAX_HEADER);
    }

    @Test
    void theStringLayerKeepsOnlyBoundedScratchWhateverTheFeedSizes() {
        Random random = new Random(8520);
        byte[] segment = ("中文 text 😀 start852{\"a\":1}end852 " + "答".repeat(50_000)).getBytes(StandardCharsets.UTF_8);
        long[] chars = {0};
        StreamDecoder decoder = new StreamDecoder(text -> chars[0] += text.length(), MAX_HEADER);
        int maxRetained = 0;
        long segments = (64L << 20) / segment.length;
        for (long s = 0; s < segments; s++) {
            for (int off = 0; off < segment.length; ) {
                int len = Math.min(segment.length - off, 1 + random.nextInt(random.nextBoolean() ? 7 : 1 << 20));
                ByteBuffer direct = ByteBuffer.allocateDirect(len).put(segment, off, len).flip();
                if (random.nextBoolean()) {
                    decoder.feed(direct);
                } else {
                    decoder.feed(segment, off, len);
                }
                off += len;
                maxRetained = Math.max(maxRetained, decoder.retainedBytes());
            }
        }
        decoder.finish();
        long perSegment = new String(segment, StandardCharsets.UTF_8).replace("start852{\"a\":1}end852", "").length();
        assertThat(chars[0]).isEqualTo(segments * perSegment);
        // the header buffer, the join scratch, the held character and the char array text is decoded in
        assertThat(maxRetained).isLessThanOrEqualTo(MAX_HEADER + 64 * 1024 + 3 + 2 * 64 * 1024);
    }
}
