package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TextSoFarTest {
    private static final String[] WORDS = {"a", "hello ", "答", "中文字符", "😀", "é", "", "x".repeat(5000), "字".repeat(3000)};

    static Stream<Long> seeds() {
        return Stream.of(1L, 2L, 3L, 852L, 8520L);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void isAlwaysTheConcatenationOfEveryPieceSoFar(long seed) {
        Random random = new Random(seed);
        TextSoFar text = new TextSoFar();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            String piece = WORDS[random.nextInt(WORDS.length)];
            text.append(piece);
            expected.append(piece);
            assertThat(text.length()).isEqualTo(expected.length());
            if (random.nextInt(100) == 0) {
                assertThat(text.toString()).isEqualTo(expected.toString());
            }
        }
        assertThat(text.toString()).isEqualTo(expected.toString());
    }

    @Test
    void aTextLongerThanTheLargestBlockIsWhole() {
        TextSoFar text = new TextSoFar();
        StringBuilder expected = new StringBuilder();
        String piece = "汉字 and ASCII ".repeat(1000);
        while (expected.length() < 3 * TextSoFar.MAX_BLOCK) {
            text.append(piece);
            expected.append(piece);
        }
        assertThat(text.toString()).isEqualTo(expected.toString());
    }

    @Test
    void nothingAppendedIsTheEmptyString() {
        TextSoFar text = new TextSoFar();
        text.append("");
        assertThat(text.toString()).isEmpty();
        assertThat(text.length()).isZero();
    }

    @Test
    void oneBlockAloneIsReturnedWithoutCopying() {
        TextSoFar text = new TextSoFar();
        text.append("x".repeat(1 << 14));
        assertThat(text.toString()).isSameAs(text.toString()).hasSize(1 << 14);
    }
}
