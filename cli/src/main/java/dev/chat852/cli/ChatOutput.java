package dev.chat852.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.wire.Header;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Where the answer goes. {@link #flush} after each event reports whether standard output still works. */
abstract class ChatOutput {
    abstract void header(Header header);

    abstract void text(String text);

    abstract void end();

    /** The finish reason and usage (each null if not sent), before the end: shown by the JSON lines only. */
    void details(String finishReason, JsonNode usage) {
    }

    abstract void error(String message);

    /** Writes through; false if standard output has failed (PrintStream hides the cause). */
    abstract boolean flush();

    /**
     * The answer text, UTF-8, exactly as received. On a terminal a final newline is added if the answer
     * lacks one (so the shell prompt starts on its own line), and control characters other than line
     * feeds and tabs are shown as visible escapes; otherwise nothing is changed or added.
     */
    static final class TextOutput extends ChatOutput {
        private final PrintStream out;
        private final boolean terminal;
        private boolean atLineStart = true;

        TextOutput(PrintStream out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        void header(Header header) {
            // Account information is not part of the answer: see --format jsonl.
        }

        @Override
        void text(String text) {
            if (!text.isEmpty()) {
                // On a terminal the answer is shown, never obeyed: escape codes in it become visible.
                byte[] bytes = (terminal ? TerminalText.lines(text) : text).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                atLineStart = text.charAt(text.length() - 1) == '\n';
            }
        }

        @Override
        void end() {
            endLine();
        }

        @Override
        void error(String message) {
            endLine(); // the message goes to stderr, which shares the terminal
        }

        private void endLine() {
            if (terminal && !atLineStart) {
                out.write('\n');
                atLineStart = true;
            }
        }

        @Override
        boolean flush() {
            out.flush();
            return !out.checkError();
        }
    }

    /** Every event as a JSON line, flushed one by one. */
    static final class JsonLinesOutput extends ChatOutput {
        private final PrintStream out;
        private final JsonLinesWriter events;
        private boolean failed;

        JsonLinesOutput(PrintStream out) {
            this.out = out;
            try {
                this.events = new JsonLinesWriter(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void header(Header header) {
            write(() -> events.header(header));
        }

        @Override
        void text(String text) {
            write(() -> events.text(text));
        }

        @Override
        void details(String finishReason, JsonNode usage) {
            if (finishReason != null) {
                write(() -> events.finish(finishReason));
            }
            if (usage != null) {
                write(() -> events.usage(usage));
            }
        }

        @Override
        void end() {
            write(events::end);
        }

        @Override
        void error(String message) {
            write(() -> events.error(message));
        }

        @Override
        boolean flush() {
            write(events::flush);
            return !failed && !out.checkError();
        }

        private void write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                failed = true;
            }
        }
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws IOException;
    }
}
