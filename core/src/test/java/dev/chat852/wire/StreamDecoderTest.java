package dev.chat852.wire;

import static dev.chat852.wire.WireTesting.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.wire.WireTesting.Feeder;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The string layer: text decoded incrementally, headers parsed, the same result for any chunking. */
class StreamDecoderTest {

    /** Records string events, merging adjacent text like {@link WireTesting.FrameRecorder}. */
    static final class StringRecorder implements StreamHandler {
        final List<String> events = new ArrayList<>();
        final List<Header> headers = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final StringBuilder pending = new StringBuilder();
        FramingException error;

        @Override
        public void onText(String t) {
            assertThat(t).isNotEmpty();
            pending.append(t);
            text.append(t);
        }

        @Override
        public void onHeader(Header header) {
            flush();
            headers.add(header);
            events.add("H:" + header.raw());
        }

        @Override
        public void onEnd() {
            flush();
            events.add("END");
        }

        @Override
        public void onError(FramingException e) {
            flush();
            error = e;
            events.add("ERR:" + e.kind() + "@" + e.streamOffset());
        }

        private void flush() {
            if (pending.length() > 0) {
                events.add("T:" + pending);
                pending.setLength(0);
            }
        }
    }

    /**
     * Decodes with the given cuts and returns the events; after every feed, checks that all the text
     * that can be decoded has been delivered (rule 5 at the string level).
     */
    static List<String> decode(byte[] body, int[] cuts, Feeder feeder, int maxHeader) {
        StringRecorder recorder = new StringRecorder();
        StreamDecoder decoder = new StreamDecoder(recorder, maxHeader);
        feeder.feed(body, cuts, WireTesting.of(decoder), fed -> {
            if (recorder.error == null) {
                assertThat(recorder.text.toString())
                        .as("text delivered after %d bytes, cuts %s", fed, Arrays.toString(cuts))
                        .isEqualTo(WireTesting.deliverableString(Arrays.copyOf(body, fed), maxHeader));
            }
        });
        decoder.finish();
        return recorder.events;
    }

    static Stream<FrameDecoderCasesTest.Case> cases() {
        return FrameDecoderCasesTest.cases().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyCaseDecodesToTheSameStringsAtEverySplitAndFeedSize(FrameDecoderCasesTest.Case c) {
        List<String> expected = WireTesting.asStrings(c.expected);
        Feeder[] feeders = Feeder.values();
        for (int cut = 0; cut <= c.body.length; cut++) {
            int[] cuts = cut == 0 || cut == c.body.length ? WireTesting.at() : WireTesting.at(cut);
            assertThat(decode(c.body, cuts, feeders[cut % feeders.length], c.maxHeader))
                    .as("split at %d", cut).isEqualTo(expected);
        }
        for (int size : new int[] {1, 2, 3, Math.max(1, c.body.length)}) {
            for (Feeder feeder : feeders) {
                assertThat(decode(c.body, WireTesting.fixed(c.body.length, size), feeder, c.maxHeader))
                        .as("feed size %d via %s", size, feeder).isEqualTo(expected);
            }
        }
    }

    @Test
    void aChineseCharacterSplitAcrossFeedsIsDecodedWhole() {
        byte[] body = utf8("中文");
        for (int cut = 1; cut < body.length; cut++) {
            assertThat(decode(body, WireTesting.at(cut), Feeder.PADDED_ARRAY, 64))
                    .as("split at %d", cut).containsExactly("T:中文", "END");
        }
    }

    private static final String[] CHARACTERS = {"a", "é", "中", "😀", "\u0800", "\uFFFD", "\uDBFF\uDFFF"};

    static LongStream seeds() {
        return LongStream.range(0, 200);
    }

    /** Rule 4: random bytes, valid or not, decode exactly as decoding each whole text run would. */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void arbitraryBytesDecodeAsTheWholeTextRunWouldUnderAnyChunking(long seed) {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = random.nextInt(64);
        for (int i = 0; i < n; i++) {
            switch (random.nextInt(4)) {
                case 0: out.write(random.nextInt(256)); break;                     // anything
                case 1: out.write(0x80 + random.nextInt(64)); break;               // a continuation
                case 2: out.write(0xC0 + random.nextInt(53)); break;               // a lead byte
                default: out.writeBytes(utf8(CHARACTERS[random.nextInt(CHARACTERS.length)])); // a real one
            }
        }
        byte[] body = out.toByteArray();
        List<String> expected = WireTesting.asStrings(WireTesting.reference(body, 64));
        for (int run = 0; run < 30; run++) {
            int[] cuts = WireTesting.random(body.length, random, 1 + random.nextInt(6));
            assertThat(decode(body, cuts, Feeder.values()[run % Feeder.values().length], 64))
                    .as("body %s cuts %s", Arrays.toString(body), Arrays.toString(cuts))
                    .isEqualTo(expected);
        }
    }

    /**
     * A four-byte character split before a feed too long to join onto it (over 64 KiB) is finished
     * on its own: all four bytes are put together, at each of the three places it can be split.
     */
    @Test
    void aFourByteCharacterSplitBeforeAVeryLongFeedIsDecodedWhole() {
        byte[] emoji = utf8("😀");
        byte[] tail = utf8("x".repeat(70_000));
        byte[] body = WireTesting.concat(emoji, tail);
        for (int cut = 1; cut < emoji.length; cut++) {
            for (Feeder feeder : Feeder.values()) {
                assertThat(decode(body, WireTesting.at(cut), feeder, 64))
                        .as("split at %d via %s", cut, feeder)
                        .isEqualTo(WireTesting.asStrings(WireTesting.reference(body, 64)));
            }
        }
    }

    @Test
    void theMemoryKeptBetweenFeedsCountsTheCharactersDecodedInto() {
        StreamDecoder decoder = new StreamDecoder(new StringRecorder(), 64);
        int before = decoder.retainedBytes();
        byte[] text = utf8("中".repeat(10_000));
        decoder.feed(text, 0, text.length); // 30,000 bytes of text, decoded into a reused char array

        assertThat(decoder.retainedBytes()).as("the char array is two bytes a character")
                .isGreaterThanOrEqualTo(before + 2 * 10_000);
    }

    @Test
    void aCharacterSplitBeforeAFeedLongerThanTheFirstScratchArrayIsDecodedWhole() {
        byte[] body = WireTesting.concat(utf8("中"), utf8("y".repeat(1_000)), utf8("中"), utf8("z".repeat(3_000)));
        for (int cut : new int[] {1, 2, 1_004, 1_005}) {
            for (Feeder feeder : Feeder.values()) {
                assertThat(decode(body, WireTesting.at(cut), feeder, 64))
                        .as("split at %d via %s", cut, feeder)
                        .isEqualTo(WireTesting.asStrings(WireTesting.reference(body, 64)));
            }
        }
    }

    @Test
    void invalidBytesBecomeReplacementCharacters() {
        byte[] body = {'a', (byte) 0xFF, 'b', (byte) 0xE4, (byte) 0xB8, 'c'};
        assertThat(decode(body, WireTesting.fixed(body.length, 1), Feeder.PADDED_ARRAY, 64))
                .containsExactly("T:a\uFFFDb\uFFFDc", "END");
    }

    @Test
    void anEncodedSurrogateIsOneReplacementCharacterAtEverySplit() {
        byte[] body = {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b', (byte) 0xED, (byte) 0xBF, 'c'};
        for (int cut = 0; cut <= body.length; cut++) {
            int[] cuts = cut == 0 || cut == body.length ? WireTesting.at() : WireTesting.at(cut);
            assertThat(decode(body, cuts, Feeder.HEAP_BUFFER, 64))
                    .as("split at %d", cut).containsExactly("T:a\uFFFDb\uFFFDc", "END");
        }
    }

    @Test
    void aHeaderIsParsedAsJsonWithTypedFields() {
        StringRecorder recorder = new StringRecorder();
        StreamDecoder decoder = new StreamDecoder(recorder);
        byte[] body = utf8("start852{\"isSdHide\":false,\"sdLimitCount\":10,\"numOfOneDayCanCallApi\":100,"
                + "\"numOfOneDayAlreadyCallApi\":\"3\",\"apiDate\":\"2026-11-25\",\"isHasGPT4Auth\":1}end852hi");
        decoder.feed(body, 0, body.length);
        decoder.finish();
        Header header = recorder.headers.get(0);
        assertThat(header.json().get("sdLimitCount").asInt()).isEqualTo(10);
        assertThat(header.sdHide()).contains(false);
        assertThat(header.sdLimitCount()).hasValue(10);
        assertThat(header.dailyCallLimit()).hasValue(100);
        assertThat(header.dailyCallsUsed()).hasValue(3);
        assertThat(header.apiDate()).contains("2026-11-25");
        assertThat(header.gpt4Authorized()).contains(true);
        assertThat(recorder.text).hasToString("hi");
    }

    @Test
    void aHeaderThatIsNotJsonHasNullJsonAndIsNotAnError() {
        for (String raw : new String[] {"not json", "{\"a\":", "{}x", ""}) {
            StringRecorder recorder = new StringRecorder();
            StreamDecoder decoder = new StreamDecoder(recorder);
            byte[] body = utf8("start852" + raw + "end852");
            decoder.feed(body, 0, body.length);
            decoder.finish();
            assertThat(recorder.headers).singleElement().satisfies(h -> {
                assertThat(h.raw()).isEqualTo(raw);
                assertThat(h.json()).as("json of %s", raw).isNull();
                assertThat(h.sdLimitCount()).isEmpty();
            });
            assertThat(recorder.events).endsWith("END");
        }
    }

    /**
     * Long random bodies in long random feeds, longer than the scratch array that joins a split
     * character: both ways of joining, and the plain-text fast path, against the reference.
     */
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("longSeeds")
    void longFeedsOfArbitraryTextDecodeAsTheWholeTextRunWould(long seed) {
        Random random = new Random(seed);
        String[] pieces = {"a", "é", "中", "😀", "8", "start8", "start852{}end852", "undefined", " ", "\n"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < 200_000) {
            if (random.nextInt(50) == 0) {
                out.write(0x80 + random.nextInt(128)); // now and then a byte that is not well-formed here
            } else {
                out.writeBytes(utf8(pieces[random.nextInt(pieces.length)]));
            }
        }
        byte[] body = out.toByteArray();
        List<String> expected = WireTesting.asStrings(WireTesting.reference(body, 64));
        for (int run = 0; run < 4; run++) {
            int[] cuts = WireTesting.random(body.length, random, 100_000);
            assertThat(decode(body, cuts, Feeder.values()[run % Feeder.values().length], 64))
                    .as("seed %d cuts %s", seed, Arrays.toString(cuts)).isEqualTo(expected);
        }
    }

    static LongStream longSeeds() {
        return LongStream.range(0, 20);
    }

    @Test
    void aHandlerThatThrowsOnPlainTextStopsTheDecoderAndTheExceptionReachesTheCaller() {
        RuntimeException boom = new RuntimeException("boom");
        List<String> seen = new ArrayList<>();
        StreamDecoder decoder = new StreamDecoder(new StreamHandler() {
            @Override
            public void onText(String text) {
                seen.add(text);
                throw boom;
            }

            @Override
            public void onEnd() {
                seen.add("END");
            }
        });
        byte[] first = utf8("plain 中文");
        byte[] second = utf8("more start852{}end852 text");
        assertThatThrownBy(() -> decoder.feed(first, 0, first.length)).isSameAs(boom);
        decoder.feed(second, 0, second.length); // discarded, not delivered
        decoder.finish();
        assertThat(seen).containsExactly("plain 中文");
        assertThat(decoder.bytesFed()).isEqualTo(first.length + second.length);
    }

    @Test
    void offsetsCountPlainTextDecodedOnTheFastPath() {
        StringBuilder text = new StringBuilder();
        StreamDecoder decoder = new StreamDecoder(text::append);
        byte[] plain = utf8("中文 text");
        byte[] block = utf8("start852{\"a\":");
        decoder.feed(plain, 0, plain.length);
        decoder.feed(block, 0, block.length);
        assertThat(decoder.bytesFed()).isEqualTo(plain.length + block.length);
        assertThatThrownBy(decoder::finish)
                .isInstanceOfSatisfying(FramingException.class, e -> assertThat(e.streamOffset()).isEqualTo(plain.length));
        assertThat(text).hasToString("中文 text");
    }

    @Test
    void aProtocolErrorIsThrownFromFinishByDefaultAfterTheTextBeforeIt() {
        StringBuilder text = new StringBuilder();
        StreamDecoder decoder = new StreamDecoder(text::append);
        byte[] body = utf8("kept start852{\"a\":");
        decoder.feed(body, 0, body.length);
        assertThat(text).hasToString("kept ");
        assertThatThrownBy(decoder::finish)
                .isInstanceOfSatisfying(FramingException.class, e -> {
                    assertThat(e.kind()).isEqualTo(FramingException.Kind.UNTERMINATED_HEADER);
                    assertThat(e.streamOffset()).isEqualTo(5);
                    assertThat(e.partialHeader()).isEqualTo("{\"a\":");
                    assertThat(e).hasMessageContaining("byte 5");
                });
    }
}
