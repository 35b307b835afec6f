package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ChatTimeoutException;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ChatApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chat}'s timeout options: durations as people type them; each of the client's three timeouts
 * and {@code --max-time} ends the call with exit 5 and a message naming the timeout and its value.
 */
@MockServerTest(speed = 1)
@Timeout(value = 60, threadMode = SEPARATE_THREAD)
class TimeoutOptionsTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({"500ms, 500", "30s, 30000", "2m, 120000", "1h, 3600000", "30, 30000", "1.5, 1500", "0.25s, 250",
        "0, 0", "0s, 0", "2M, 120000", " 10s , 10000", "86400, 86400000", "1.5ms, 1.5"})
    void durationsAreReadAsPeopleTypeThem(String text, double millis) {
        assertThat(OptionValues.duration(text)).isEqualTo(Duration.ofNanos(Math.round(millis * 1_000_000)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "-1", "-1s", "1d", "1.5.2", "1m30s", "ten", "86401", "25h", "0.0001ms"})
    void otherTextIsNotADuration(String text) {
        assertThatThrownBy(() -> OptionValues.duration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("'" + text + "' is ");
    }

    @ParameterizedTest
    @CsvSource({"120000, 2m", "30000, 30s", "1500, 1.5s", "250, 250ms", "60000, 1m", "90000, 90s"})
    void durationsAreShownTheWayTheyAreTyped(long millis, String shown) {
        assertThat(OptionValues.format(Duration.ofMillis(millis))).isEqualTo(shown);
        assertThat(OptionValues.duration(shown)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void aConnectTimeoutNamesItsOptionAndValue() {
        String message = new TimeoutOptions().describe(new ChatTimeoutException(ChatTimeoutException.Kind.CONNECT,
                Duration.ofMillis(250)));

        assertThat(message).isEqualTo("timed out: no connection within 250ms (--connect-timeout 250ms)");
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void aResponseSlowerThanTheFirstByteTimeoutExitsFiveNamingIt(String transport, MockServer server) {
        server.enqueue(Recording.of(RecordedResponse.builder().headersDelayMs(3_000).chunk(0, "late").build()));

        CliRun run = ChatCommandTest.chat(server, transport, "--first-byte-timeout", "300ms", "hi");

        assertThat(run.exit()).isEqualTo(ExitCodes.IO);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).isEqualTo("chat852 chat: timed out: the response did not start within 300ms of sending"
                + " the request (--first-byte-timeout 300ms) (" + server.baseUri() + ChatApi.PATH + ")\n");
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void aPauseLongerThanTheIdleTimeoutExitsFiveAfterTheTextBeforeIt(String transport, MockServer server) {
        server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "start852{}end852前半").chunk(3_000, "后半")
                .build()));

        CliRun run = ChatCommandTest.chat(server, transport, "--idle-timeout", "0.3", "hi");

        assertThat(run.exit()).isEqualTo(ExitCodes.IO);
        assertThat(run.stdout()).isEqualTo("前半");
        assertThat(run.stderr()).startsWith("chat852 chat: timed out: the answer paused for longer than 300ms"
                + " (--idle-timeout 300ms) (");
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void aCallLongerThanMaxTimeIsCancelledKeepingItsTextAndExitsFive(String transport, MockServer server) {
        RecordedResponse.Builder slow = RecordedResponse.builder().chunk(0, "start852{}end852");
        for (int i = 0; i < 30; i++) {
            slow.chunk(100, "字");
        }
        server.enqueue(Recording.of(slow.chunk(0, "undefined").build()));

        long start = System.nanoTime();
        CliRun run = ChatCommandTest.chat(server, transport, "--max-time", "700ms", "--format", "jsonl", "hi");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(run.exit()).isEqualTo(ExitCodes.IO);
        List<JsonNode> lines = ChatCommandTest.lines(run);
        assertThat(ChatCommandTest.joinedText(lines)).isNotEmpty().matches("字+").hasSizeLessThan(30);
        assertThat(lines.get(lines.size() - 1).toString())
                .isEqualTo("{\"type\":\"error\",\"message\":\"timed out: the call took longer than 700ms (--max-time 700ms)\"}");
        assertThat(run.stderr()).isEqualTo("chat852 chat: timed out: the call took longer than 700ms (--max-time 700ms)\n");
        assertThat(took).isLessThan(Duration.ofMillis(2_900));
    }

    @Test
    void aCallWithinItsTimeoutsEndsNormally(MockServer server) {
        server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "start852{}end852").chunk(50, "准时")
                .chunk(0, "undefined").build()));

        CliRun run = ChatCommandTest.chat(server, "jdk", "--connect-timeout", "5s", "--first-byte-timeout", "5s",
                "--idle-timeout", "5s", "--max-time", "20s", "hi");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).isEqualTo("准时");
        assertThat(run.stderr()).isEmpty();
    }
}
