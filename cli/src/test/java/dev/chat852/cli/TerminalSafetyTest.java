package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure 1 of the hostile-peer issue: what a server sends is shown as data, never obeyed by the
 * terminal. Its error message reaches stderr as one line with every escape sequence, BEL and line break
 * made visible; an answer printed to a terminal shows its control characters the same way.
 */
@MockServerTest(speed = 0)
class TerminalSafetyTest {
    /** Colours, a window title (OSC ... BEL), and a line break that would fake a second message. */
    static final String HOSTILE = "\u001b[31mRED\u001b[0m\u001b]0;pwned-title\u0007 line1\nFAKE: line2";
    static final String SHOWN = "\\u001b[31mRED\\u001b[0m\\u001b]0;pwned-title\\u0007 line1\\nFAKE: line2";

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void anApiErrorMessageWithEscapeCodesIsOneVisibleLine(String transport, MockServer server) {
        server.enqueue(Recording.of(RecordedResponse.apiError(500, HOSTILE)));

        CliRun run = ChatCommandTest.chat(server, transport, "hi");

        assertThat(run.exit()).isEqualTo(4);
        assertThat(run.stderr()).isEqualTo("chat852 chat: API error 500: " + SHOWN + System.lineSeparator());
        assertControlFree(run.stderr());
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void anHtmlErrorBodyWithEscapeCodesIsOneVisibleLine(String transport, MockServer server) {
        server.enqueue(Recording.of(RecordedResponse.builder().status(502).header("Content-Type", "text/html")
                .chunk(0, "<h1>" + HOSTILE + "\u009b2J</h1>").build()));

        CliRun run = ChatCommandTest.chat(server, transport, "hi");

        assertThat(run.exit()).isEqualTo(5);
        assertThat(run.stderr()).contains(SHOWN + "\\u009b2J").endsWith(System.lineSeparator());
        assertThat(run.stderr().lines()).hasSize(1);
        assertControlFree(run.stderr());
    }

    @Test
    void anAnswerWithEscapeCodesIsShownOnATerminalAndPassedThroughToAPipe(MockServer server) {
        server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "ok\u001b[2J\ttab\nnext").build()));
        server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "ok\u001b[2J\ttab\nnext").build()));

        CliRun terminal = ChatCommandTest.chat(TestEnvironment.terminals(false, true), "", server, "jdk", "hi");
        CliRun piped = ChatCommandTest.chat(TestEnvironment.terminals(false, false), "", server, "jdk", "hi");

        assertThat(terminal.stdout()).isEqualTo("ok\\u001b[2J\ttab\nnext\n");
        assertThat(piped.stdout()).isEqualTo("ok\u001b[2J\ttab\nnext"); // byte for byte: the caller asked for the data
    }

    @Test
    void escapesEveryCharacterATerminalActsOn() {
        assertThat(TerminalText.oneLine("plain 中文 é")).isEqualTo("plain 中文 é");
        assertThat(TerminalText.oneLine("a\r\nb\tc\u0000\u007f\u0085\u202e\u2066\u2028"))
                .isEqualTo("a\\r\\nb\\tc\\u0000\\u007f\\u0085\\u202e\\u2066\\u2028");
        assertThat(TerminalText.lines("a\nb\tc\rd\u001b")).isEqualTo("a\nb\tc\\rd\\u001b");
    }

    private static void assertControlFree(String stderr) {
        String line = stderr.substring(0, stderr.length() - System.lineSeparator().length());
        assertThat(line.chars().filter(c -> TerminalText.acts((char) c, false))).isEmpty();
    }
}
