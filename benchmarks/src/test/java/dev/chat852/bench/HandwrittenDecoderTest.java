package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.wire.FrameDecoder;
import dev.chat852.wire.FrameHandler;
import dev.chat852.wire.FramingException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hand-written decode of {@link TransportBenchmark}'s {@code handwritten} client gives what chat852's
 * {@link FrameDecoder} gives on the same body (fed whole), at every split point and at feed sizes 1, 2, 3
 * and whole: a baseline that decoded less well would make the comparison meaningless.
 */
class HandwrittenDecoderTest {

    static Stream<Arguments> bodies() {
        List<Arguments> bodies = new ArrayList<>();
        for (String s : new String[] {
                "", "plain text, no markers", "undefined", "x undefine", "undefinedundefined", "a undefined b",
                "start852{\"a\":1}end852你好 worldundefined",
                "before start852{\"a\":1}end852 after",
                "ststart852{}end852x", "start85start852{\"b\":2}end852y", "sta", "start85",
                "start852{\"x\":\"start852\"}end852z", "end852 outside a block is text",
                "start852{}end852start852{\"n\":2}end852",
                "text start852{\"q\":\"中\"}end852 世界😀 in between start852{}end852undefined",
                "start852{}end852undefined tail", "😀😀 undefinedstart852{}end852",
                "start852{\"open\":", "text before an open block start852{\"open\"",
        }) {
            bodies.add(Arguments.of(s.isEmpty() ? "(empty)" : s, s.getBytes(StandardCharsets.UTF_8)));
        }
        bodies.add(Arguments.of("invalid bytes in text",
                concat("a".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF, 'b', (byte) 0xE4, (byte) 0xB8, 'c'},
                        "start852{}end852".getBytes(StandardCharsets.UTF_8), new byte[] {'d', (byte) 0xE4, (byte) 0xB8})));
        bodies.add(Arguments.of("a generated 700-byte body", ChatBodyGenerator.generate(7, 700).bytes()));
        return bodies.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void givesWhatFrameDecoderGivesAtEverySplitPoint(String name, byte[] body) {
        Decoded expected = frameDecoder(body);
        for (int split = 0; split <= body.length; split++) {
            assertThat(handwritten(body, split, body.length - split)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void givesWhatFrameDecoderGivesAtFeedSizesOneTwoThreeAndWhole(String name, byte[] body) {
        Decoded expected = frameDecoder(body);
        for (int size : new int[] {1, 2, 3, Math.max(1, body.length)}) {
            assertThat(handwritten(body, size)).as("feed size %d", size).isEqualTo(expected);
        }
    }

    /** What the decode delivered: the text, the headers, whether it failed, in that order. */
    record Decoded(String text, List<String> headers, boolean failed) {
    }

    private static Decoded frameDecoder(byte[] body) {
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        List<String> headers = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(new FrameHandler() {
            @Override
            public void onText(ByteBuffer t) {
                byte[] b = new byte[t.remaining()];
                t.get(b);
                text.writeBytes(b);
            }

            @Override
            public void onHeader(ByteBuffer h) {
                headers.add(StandardCharsets.UTF_8.decode(h).toString());
            }
        });
        boolean failed = false;
        try {
            decoder.feed(body, 0, body.length);
            decoder.finish();
        } catch (FramingException e) {
            failed = true;
        }
        return new Decoded(text.toString(StandardCharsets.UTF_8), headers, failed);
    }

    /** Feeds {@code body} in pieces of the given sizes, the last one repeated. */
    private static Decoded handwritten(byte[] body, int... sizes) {
        StringBuilder text = new StringBuilder();
        List<String> headers = new ArrayList<>();
        HandwrittenDecoder decoder = new HandwrittenDecoder(t -> {
            assertThat(t).as("a text piece").isNotEmpty();
            text.append(t);
        }, headers::add);
        boolean failed = false;
        try {
            int at = 0;
            for (int i = 0; at < body.length; i++) {
                int n = Math.min(sizes[Math.min(i, sizes.length - 1)], body.length - at);
                byte[] piece = java.util.Arrays.copyOfRange(body, at, at + n); // a fresh array per read, as a client has
                decoder.feed(piece, 0, n);
                java.util.Arrays.fill(piece, (byte) '8'); // the decoder must not keep the caller's array
                at += n;
            }
            decoder.finish();
        } catch (IllegalStateException e) {
            failed = true;
        }
        return new Decoded(text.toString(), headers, failed);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
