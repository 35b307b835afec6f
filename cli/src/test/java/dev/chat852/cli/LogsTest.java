package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * While a command runs, library log records reach stderr as the command's own one-line messages: at
 * WARNING and above only, terminal-safe, no stack trace, no logging framework's format.
 */
class LogsTest {

    private static CommandLine record(ByteArrayOutputStream err) {
        CommandLine root = new CommandLine(CommandLine.Model.CommandSpec.create().name("chat852"));
        CommandLine cmd = new CommandLine(CommandLine.Model.CommandSpec.create().name("record"));
        root.addSubcommand("record", cmd);
        cmd.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cmd;
    }

    @Test
    void aWarningCarryingAPeersEscapeCodesIsPrintedWithThemVisible() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LogRecord record = new LogRecord(Level.WARNING, "chat852 recorder: upstream failed: {0}");
        record.setParameters(new Object[] {"invalid version format: \u001b]0;pwned\u0007\u001b[2J\nsecond line"});

        new Logs.CommandLineHandler(record(err)).publish(record);

        String line = err.toString(StandardCharsets.UTF_8);
        assertThat(line).isEqualTo("chat852 record: upstream failed: invalid version format: \\u001b]0;pwned\\u0007\\u001b[2J"
                + "\\nsecond line\n").doesNotContain("\u001b").doesNotContain("\u0007").hasLineCount(1);
    }

    @Test
    void belowWarningNothingIsPrintedAndAThrowableIsNamedNotTraced() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Logs.CommandLineHandler handler = new Logs.CommandLineHandler(record(err));
        LogRecord info = new LogRecord(Level.INFO, "chat852 mock serving 2 recording(s)");
        LogRecord severe = new LogRecord(Level.SEVERE, "closing a connection after an unexpected error");
        severe.setThrown(new IllegalStateException("boom"));

        handler.publish(info);
        handler.publish(severe);

        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(
                "chat852 record: closing a connection after an unexpected error: IllegalStateException: boom\n")
                .hasLineCount(1).doesNotContain("\tat ").doesNotContain("serving");
    }

    @Test
    void aMockRunThroughTheCommandLineWritesNoLoggingFrameworkLines() throws Exception {
        Logger root = Logger.getLogger("");
        Handler[] before = root.getHandlers();
        try (Background mock = Background.start("mock", "--port", "0", "--speed", "0")) {
            mock.awaitReady();
            assertThat(root.getHandlers()).noneMatch(h -> h instanceof ConsoleHandler);
            Logger.getLogger("dev.chat852.mock").warning("chat852 mock: a warning for the test\nwith a second line");
            Logger.getLogger("io.netty.channel").info("an informational line nobody should see");
            mock.interrupts().fire(Interrupts.SIGINT_STATUS);
            assertThat(mock.awaitExit(java.time.Duration.ofSeconds(20))).isZero();

            assertThat(mock.stderr().lines()).contains("chat852 mock: a warning for the test\\nwith a second line")
                    .noneMatch(l -> l.contains("informational") || l.startsWith("WARNING") || l.startsWith("INFO"));
        }
        assertThat(root.getHandlers()).as("the logging set-up is put back").containsExactlyInAnyOrder(before);
    }
}
