package dev.chat852.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.protocol.OpenAiError;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import dev.chat852.wire.OpenAiStreamHandler;
import dev.chat852.wire.StreamHandler;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The outputs of {@code parse}: the answer text, or every event as JSON lines. */
final class ParseOutput {
    private ParseOutput() {
    }

    /**
     * Where decoded events go, from either dialect's decoder; remembers the protocol error, or the error
     * the server sent in an OpenAI stream, instead of throwing it.
     */
    abstract static class Output implements StreamHandler, OpenAiStreamHandler {
        FramingException error;
        String serverError;

        @Override
        public void onError(FramingException e) {
            error = e;
        }

        @Override
        public void onServerError(JsonNode error) {
            serverError = "the server sent an error: " + OpenAiError.of(error).message();
        }

        @Override
        public void onEnd() {
            // Text output has nothing to add at the end; the JSON lines add an "end" line.
        }

        /** Whether decoding stopped: a protocol error or the server's. */
        boolean stopped() {
            return error != null || serverError != null;
        }

        /** Reports a read failure in-band, if the format has a way to. */
        abstract void readFailed(String message);

        abstract void flush() throws IOException;
    }

    /** The answer text only, as UTF-8. */
    static final class TextOutput extends Output {
        private final OutputStream out;

        TextOutput(PrintStream stdout) {
            // Batches the many small pieces a small --chunk-size gives; flushed after every read.
            this.out = new BufferedOutputStream(stdout, ParseCommand.READ_BUFFER);
        }

        @Override
        public void onText(String text) {
            try {
                out.write(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        void readFailed(String message) {
            // Text output has no place for it: stderr only.
        }

        @Override
        void flush() throws IOException {
            out.flush();
        }
    }

    /** Every event as a JSON line. */
    static final class JsonLinesOutput extends Output {
        private final JsonLinesWriter events;

        JsonLinesOutput(PrintStream stdout) {
            try {
                this.events = new JsonLinesWriter(stdout);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void onText(String text) {
            write(() -> events.text(text));
        }

        @Override
        public void onHeader(Header header) {
            write(() -> events.header(header));
        }

        @Override
        public void onFinish(String reason) {
            write(() -> events.finish(reason));
        }

        @Override
        public void onUsage(JsonNode usage) {
            write(() -> events.usage(usage));
        }

        @Override
        public void onServerError(JsonNode error) {
            super.onServerError(error);
            write(() -> events.error(serverError));
        }

        @Override
        public void onEnd() {
            write(events::end);
        }

        @Override
        public void onError(FramingException e) {
            super.onError(e);
            write(() -> events.error(e.getMessage()));
        }

        @Override
        void readFailed(String message) {
            write(() -> events.error(message));
        }

        @Override
        void flush() throws IOException {
            events.flush();
        }

        private static void write(IoAction action) {
            try {
                action.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }
}
