package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat} through {@code chat852 record} whose upstream is down: the recorder answers a plain-text
 * 502 of its own (not the API's error wrapper), so {@code chat} reports an HTTP status from a proxy and
 * exits 5, as docs/cli.md says; the recorder prints one line in words, no logging framework's lines.
 */
@Timeout(value = 60, threadMode = SEPARATE_THREAD)
class RecorderFailureTest {
    private static final String TOKEN = "sk-recorder-failure-token";

    @Test
    void chatThroughARecorderWhoseUpstreamRefusesExitsFiveAndTheRecorderSaysWhyInOneLine(@TempDir Path dir)
            throws Exception {
        int closed = ChatCommandTest.closedPort();
        String upstream = "http://127.0.0.1:" + closed;
        String why = "the upstream " + upstream + " failed before answering: the connection to 127.0.0.1:" + closed
                + " was refused";
        try (Background record = Background.start("record", "--port", "0", "--upstream", upstream,
                "--out", dir.toString())) {
            URI base = record.awaitReady();

            CliRun chat = CliRun.run(TestEnvironment.withToken(TOKEN), "", "chat", "--base-url", base.toString(), "hi");

            assertThat(chat.exit()).isEqualTo(ExitCodes.IO);
            assertThat(chat.stdoutBytes()).isEmpty();
            // In-process, the recorder's warning also reaches chat's stderr (one JVM, one logging system):
            // the line that matters is chat's own report of the proxy's status.
            assertThat(chat.stderr().lines()).contains("chat852 chat: the server answered HTTP 502: chat852 recorder: " + why);
            assertThat(chat.stderr()).doesNotContain("API error").doesNotContain(TOKEN);

            record.interrupts().fire(Interrupts.SIGTERM_STATUS);
            assertThat(record.awaitExit(Duration.ofSeconds(20))).isZero();
            List<String> lines = record.stderr().lines().toList();
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith("chat852 record: forwarding to " + upstream);
            assertThat(lines.get(1)).isEqualTo("chat852 record: " + why);
            assertThat(record.stderr()).doesNotContain("WARNING").doesNotContain("ProxyHandler").doesNotContain(TOKEN);
        }
    }
}
