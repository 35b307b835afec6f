package dev.chat852.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.Recording;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the recording loader: whatever a file holds, loading it gives a recording
 * or a clean {@link IllegalArgumentException} that says where (never another exception, never a hang);
 * and what loads can be written back and read again unchanged, and planned for replay.
 *
 * <p>The committed corpus is {@code src/test/resources/dev/chat852/mock/internal/RecordingFuzzTestInputs};
 * the build replays it in every test run and fuzzes for a few seconds (docs/reliability.md: longer runs).
 */
class RecordingFuzzTest {

    @FuzzTest
    @DictionaryEntries({"\"response\"", "\"request\"", "\"status\"", "\"headers\"", "\"headersDelayMs\"",
        "\"chunks\"", "\"delayMs\"", "\"text\"", "\"base64\"", "\"faults\"", "\"name\"", "\"model\"",
        "\"messages\"", "\"role\"", "\"content\"", "reset:", "stall:", "truncate:", "status:", "delay:",
        "Content-Type", "1e999", "86400000", "\\r\\n", "\\u0000"})
    void anyFileLoadsOrIsRefusedWithACleanErrorAndWhatLoadsRoundTrips(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Recording loaded;
        try {
            loaded = Recording.parse(text, "fuzz");
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("recording fuzz");
            assertThat(e.getMessage()).doesNotContain("REDACTED").doesNotContain("[Source:");
            return;
        }
        Recording again = Recording.parse(loaded.toJson(), "again");
        assertThat(again).isEqualTo(loaded);
        ReplayPlan plan = ReplayPlan.of(loaded.response(), MockResponse.Framing.CHUNKED, 1, Rechunk.bytes(), loaded.response().faults());
        // The plan's body: the recording's, or a status fault's JSON that replaces it.
        assertThat(plan.bytesSent()).isLessThanOrEqualTo(plan.body().length);
    }
}
