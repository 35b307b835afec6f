package dev.chat852.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import picocli.CommandLine;

/**
 * The command's lines, never a logging framework's. The libraries log through {@code System.Logger},
 * which goes to {@code java.util.logging}, whose console handler would print each record on two lines
 * (a date and a class name, then the message). While a command runs, that handler is set aside: records
 * at {@code WARNING} and above are printed as the command's own one-line messages
 * ({@code chat852 record: upstream … could not be reached: …}), shown as data ({@link TerminalText}) with
 * tokens redacted, and records below {@code WARNING} are dropped. A user who configures logging
 * ({@code -Djava.util.logging.config.file=…}) gets exactly what they configured instead.
 */
final class Logs {
    /** A library's own prefix, such as {@code chat852 recorder: }: the command's name replaces it. */
    private static final String LIBRARY_PREFIX = "^chat852 [a-z]+: ";

    private Logs() {
    }

    /** Undoes {@link #toCommandLine}. */
    interface Route extends AutoCloseable {
        @Override
        void close();
    }

    /** Prints library warnings as {@code cmd}'s messages until the route is closed. */
    static Route toCommandLine(CommandLine cmd) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return () -> { };
        }
        Logger root = Logger.getLogger("");
        List<Handler> consoles = new ArrayList<>();
        for (Handler h : root.getHandlers()) {
            if (h instanceof ConsoleHandler) {
                consoles.add(h);
                root.removeHandler(h);
            }
        }
        Handler lines = new CommandLineHandler(cmd);
        root.addHandler(lines);
        return () -> {
            root.removeHandler(lines);
            consoles.forEach(root::addHandler);
        };
    }

    /** One line per record at {@code WARNING} or above, through {@link Main#printError}. */
    static final class CommandLineHandler extends Handler {
        private final CommandLine cmd;
        private final SimpleFormatter formatter = new SimpleFormatter();

        CommandLineHandler(CommandLine cmd) {
            this.cmd = cmd;
            setLevel(Level.WARNING);
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String text = formatter.formatMessage(record).replaceFirst(LIBRARY_PREFIX, "");
            Throwable thrown = record.getThrown();
            if (thrown != null) { // what it was, not where: no stack trace
                text += ": " + thrown.getClass().getSimpleName() + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage());
            }
            Main.printError(cmd, text);
        }

        @Override
        public void flush() {
            cmd.getErr().flush();
        }

        @Override
        public void close() {
            // the command's error writer is not ours to close
        }
    }
}
