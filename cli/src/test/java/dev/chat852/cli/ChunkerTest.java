package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {

    private static final String LONG = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(20);

    @Test
    void asReadPassesEachReadThroughUnchanged() {
        assertThat(chunk(Chunker.asRead(), "abcdefgh", 1, 5, 2)).containsExactly("a", "bcdef", "gh");
    }

    @Test
    void fixedSizeCutsAtTheSameOffsetsHoweverTheReadsFell() {
        List<String> oneRead = chunk(Chunker.fixed(3), LONG, LONG.length());
        List<String> smallReads = chunk(Chunker.fixed(3), LONG, 1, 5, 2, 7, 1, 100);

        assertThat(oneRead).hasSize(LONG.length() / 3).allSatisfy(c -> assertThat(c).hasSize(3));
        assertThat(smallReads).isEqualTo(oneRead);
    }

    @Test
    void fixedSizeLeavesAShorterLastChunkForFinish() {
        assertThat(chunk(Chunker.fixed(4), "abcdefghij", 3)).containsExactly("abcd", "efgh", "ij");
    }

    @Test
    void fixedSizeLargerThanTheInputGivesOneChunk() {
        assertThat(chunk(Chunker.fixed(Integer.MAX_VALUE), "abcdefg", 3, 4)).containsExactly("abcdefg");
    }

    @Test
    void fixedSizeBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Chunker.fixed(0));
    }

    @Test
    void randomSizesAreBetweenOneAndSixtyFourAndCoverTheInput() {
        List<String> chunks = chunk(Chunker.random(852), LONG, LONG.length());

        assertThat(chunks.subList(0, chunks.size() - 1))
                .allSatisfy(c -> assertThat(c.length()).isBetween(1, Chunker.MAX_RANDOM_CHUNK));
        assertThat(String.join("", chunks)).isEqualTo(LONG);
        assertThat(chunks.stream().mapToInt(String::length).distinct().count()).isGreaterThan(5);
    }

    @Test
    void randomSizesAreTheSameForTheSameSeedHoweverTheReadsFell() {
        List<String> oneRead = chunk(Chunker.random(7), LONG, LONG.length());
        List<String> smallReads = chunk(Chunker.random(7), LONG, 3, 1, 50, 9, 200);

        assertThat(smallReads).isEqualTo(oneRead);
        assertThat(chunk(Chunker.random(8), LONG, LONG.length())).isNotEqualTo(oneRead);
    }

    @Test
    void randomSizesAreDrawnFromJavaUtilRandomAsDocumented() {
        Random random = new Random(42);
        int first = 1 + random.nextInt(64);
        int second = 1 + random.nextInt(64);

        List<String> chunks = chunk(Chunker.random(42), LONG, LONG.length());

        assertThat(chunks.get(0)).hasSize(first);
        assertThat(chunks.get(1)).hasSize(second);
    }

    /**
     * Pushes {@code input} in reads of the given sizes (the last size repeated until the input is used
     * up), then finishes; returns the chunks the sink saw.
     */
    private static List<String> chunk(Chunker chunker, String input, int... readSizes) {
        byte[] bytes = input.getBytes(US_ASCII);
        List<String> chunks = new ArrayList<>();
        Chunker.Sink sink = (array, offset, length) -> chunks.add(new String(array, offset, length, US_ASCII));
        int at = 0;
        for (int read = 0; at < bytes.length; read++) {
            int size = Math.min(readSizes[Math.min(read, readSizes.length - 1)], bytes.length - at);
            // One buffer reused for every read, at an offset, as a command's read buffer is.
            byte[] buffer = new byte[size + 4];
            System.arraycopy(bytes, at, buffer, 2, size);
            chunker.push(buffer, 2, size, sink);
            Arrays.fill(buffer, (byte) '!'); // the next read overwrites it: kept bytes must have been copied
            at += size;
        }
        chunker.finish(sink);
        return chunks;
    }
}
