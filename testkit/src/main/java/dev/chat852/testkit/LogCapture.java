package dev.chat852.testkit;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Captures every {@code java.util.logging} record (where {@code System.Logger} goes by default, and
 * Netty's internal logger without SLF4J): a handler at {@link Level#ALL} on the root logger, with the
 * root logger, {@code dev.chat852} and the given logger names turned up to {@code ALL}.
 * {@link #close()} removes the handler and puts every level back.
 *
 * <pre>{@code
 * try (LogCapture capture = LogCapture.start(Set.of("io.netty"))) {
 *     ... run calls ...
 *     List<LogCapture.Entry> entries = capture.entries();
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

    /**
     * One record: its logger, level, the thread that logged it, and all its text (the raw and formatted
     * message, each parameter's {@code toString()}, and the stack trace of what it carried).
     */
    public record Entry(String logger, Level level, String thread, String text) {
        @Override
        public String toString() {
            return level + " " + logger + " [" + thread + "]: " + text;
        }
    }

    private final Logger root = Logger.getLogger("");
    /** Strong references: JUL forgets the level of a logger nobody references. */
    private final List<Logger> adjusted = new ArrayList<>();
    private final List<Level> previous = new ArrayList<>();
    private final List<Entry> entries = Collections.synchronizedList(new ArrayList<>());
    private final Handler handler = new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            StringBuilder text = new StringBuilder();
            text.append(record.getMessage());
            try {
                text.append('\n').append(formatter.formatMessage(record));
            } catch (RuntimeException e) {
                text.append("\n(formatting failed: ").append(e).append(')');
            }
            Object[] parameters = record.getParameters();
            if (parameters != null) {
                for (Object p : parameters) {
                    text.append('\n').append(safeToString(p));
                }
            }
            if (record.getThrown() != null) {
                text.append('\n').append(stackTrace(record.getThrown()));
            }
            entries.add(new Entry(record.getLoggerName(), record.getLevel(), Thread.currentThread().getName(),
                    text.toString()));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private boolean closed;

    private LogCapture(Collection<String> loggers) {
        handler.setLevel(Level.ALL);
        Set<String> names = new LinkedHashSet<>();
        names.add("");
        names.add("dev.chat852");
        names.addAll(loggers);
        for (String name : names) {
            Logger logger = Logger.getLogger(name);
            adjusted.add(logger);
            previous.add(logger.getLevel());
            logger.setLevel(Level.ALL);
        }
        root.addHandler(handler);
    }

    /** Starts capturing: the root logger, {@code dev.chat852} and {@code loggers} at {@code ALL}. */
    public static LogCapture start(Collection<String> loggers) {
        return new LogCapture(loggers);
    }

    /** What was captured so far, in order. */
    public List<Entry> entries() {
        synchronized (entries) {
            return new ArrayList<>(entries);
        }
    }

    /** Stops capturing and restores the levels as they were. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        root.removeHandler(handler);
        for (int i = adjusted.size() - 1; i >= 0; i--) {
            adjusted.get(i).setLevel(previous.get(i));
        }
    }

    /** {@code t}'s stack trace, with every cause and suppressed exception and their messages. */
    public static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            t.printStackTrace(w);
        }
        return out.toString();
    }

    private static String safeToString(Object o) {
        try {
            return String.valueOf(o);
        } catch (RuntimeException e) {
            return "(toString() threw " + e + ")";
        }
    }
}
