package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat852.testkit.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Libraries are quiet by default: the mock and the recorder log nothing at INFO while all goes well. */
class QuietLoggingTest {

    @Test
    void startingServingAndClosingTheMockLogsNothingAtInfoOrAbove() throws Exception {
        try (LogCapture log = LogCapture.start(Set.of("dev.chat852.mock"))) {
            try (MockServer server = MockServer.builder().speed(0).recordings(Recording.demo()).build().start()) {
                assertThat(RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi")).complete).isTrue();
            }

            assertThat(log.entries()).as("what the mock logged").anySatisfy(e -> assertThat(e.text()).contains("serving"))
                    .noneSatisfy(e -> assertThat(e.level().intValue()).isGreaterThanOrEqualTo(Level.INFO.intValue()));
        }
    }

    @Test
    void recordingAnExchangeLogsNothingAtInfoOrAbove(@TempDir Path folder) throws Exception {
        try (LogCapture log = LogCapture.start(Set.of("dev.chat852.mock"))) {
            try (MockServer upstream = MockServer.builder().speed(0).recordings(Recording.demo()).build().start();
                 Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder).build().start()) {
                assertThat(RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi")).complete)
                        .isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> recorder.recorded().size() == 1);
            }

            assertThat(log.entries()).as("what the mock and the recorder logged")
                    .anySatisfy(e -> assertThat(e.text()).contains("recorder wrote"))
                    .noneSatisfy(e -> assertThat(e.level().intValue()).isGreaterThanOrEqualTo(Level.INFO.intValue()));
        }
    }
}
