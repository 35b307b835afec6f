package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class LogsTest {

    @Test
    void aWarningCarryingAPeersEscapeCodesIsPrintedWithThemVisible() {
        LogRecord record = new LogRecord(Level.WARNING, "chat852 recorder: upstream failed: {0}");
        record.setParameters(new Object[] {"invalid version format: \u001b]0;pwned\u0007\u001b[2J"});

        String line = new Logs.TerminalSafe(new SimpleFormatter()).format(record);

        assertThat(line).contains("\\u001b]0;pwned\\u0007\\u001b[2J").doesNotContain("\u001b").doesNotContain("\u0007");
    }
}
