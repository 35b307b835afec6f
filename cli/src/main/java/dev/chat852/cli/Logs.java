package dev.chat852.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the library's informational log lines (through {@code System.Logger}, to
 * {@code java.util.logging}'s two-line console format) off the command's stderr: the commands print
 * their own one-line messages. Warnings still show, with whatever a peer put in them (an upstream's
 * bytes in an error message) shown as data: see {@link TerminalText}.
 */
final class Logs {
    // Held strongly: java.util.logging forgets the level of a logger that has been garbage collected.
    private static final Logger CHAT852 = Logger.getLogger("dev.chat852");

    private Logs() {
    }

    /** Shows only warnings and errors from {@code dev.chat852.*} loggers (the mock server's, the recorder's). */
    static void quietInfo() {
        if (CHAT852.getLevel() == null) {
            CHAT852.setLevel(Level.WARNING);
        }
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            if (handler instanceof ConsoleHandler && !(handler.getFormatter() instanceof TerminalSafe)) {
                handler.setFormatter(new TerminalSafe(handler.getFormatter()));
            }
        }
    }

    /** The console's own format, with control characters in the text made visible. */
    static final class TerminalSafe extends Formatter {
        private final Formatter format;

        TerminalSafe(Formatter format) {
            this.format = format;
        }

        @Override
        public String format(LogRecord record) {
            return TerminalText.lines(format.format(record));
        }
    }
}
