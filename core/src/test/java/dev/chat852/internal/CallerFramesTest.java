package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.Chat852Exception;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What a blocking call throws: a copy made on the caller's thread, the original as its cause. */
class CallerFramesTest {

    @Test
    void aChat852ExceptionOfNoKnownKindIsCopiedWithTheCallersFramesAndTheOriginalAsCause() {
        Chat852Exception original = new Chat852Exception("something new", null);

        RuntimeException copy = CallerFrames.of(original);

        assertThat(copy).isExactlyInstanceOf(Chat852Exception.class).isNotSameAs(original).hasMessage("something new")
                .hasCause(original);
        assertThat(Arrays.stream(copy.getStackTrace()).anyMatch(f -> f.getMethodName().startsWith("aChat852Exception")))
                .isTrue();
    }
}
