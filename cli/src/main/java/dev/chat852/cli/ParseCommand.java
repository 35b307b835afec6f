package dev.chat852.cli;

import dev.chat852.Dialect;
import dev.chat852.wire.OpenAiStreamDecoder;
import dev.chat852.wire.StreamDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code chat852 parse}: decodes a raw streaming response body from a file or standard input and
 * prints the answer text, or every decoder event as JSON lines. Reads and decodes as the bytes
 * arrive and flushes after each read, so it works on an endless pipe.
 */
@Command(name = "parse",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Decodes a raw chat API response body (answer text with start852{...}end852 header blocks"
                    + " and a trailing 'undefined'; with --dialect openai, an OpenAI-compatible event stream of"
                    + " 'data: {chunk}' lines) and prints the answer.",
            "Reads as the input arrives and flushes after each read, so it works on a pipe."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the whole body was decoded",
            "2:usage error: bad option or argument, or FILE cannot be opened",
            "3:protocol error: unterminated or oversize header block, or an event that is not a chunk"
                    + " (output up to it was written)",
            "4:the body carries the server's error event (--dialect openai; output up to it was written)",
            "5:I/O error while reading the input or writing the output"})
final class ParseCommand implements Callable<Integer> {

    /** Output formats; names are matched case-insensitively. */
    enum Format { TEXT, JSONL }

    /** At most one way to chunk; neither means each read is fed as it is. */
    static final class Chunking {
        @Option(names = "--chunk-size", paramLabel = "N", required = true, converter = OptionValues.WholeNumber.class,
                description = "Feed the decoder N bytes at a time (1 <= N <= " + MAX_CHUNK_SIZE + ", 16 MiB).")
        Integer size;

        @Option(names = "--random-chunks", paramLabel = "SEED", required = true, converter = OptionValues.LongNumber.class,
                description = "Feed the decoder chunks of random sizes 1..64 drawn from java.util.Random(SEED).")
        Long seed;
    }

    static final int READ_BUFFER = 8 * 1024;
    /** A chunk is held whole until it is fed: its size is bounded like a client's whole answer. */
    static final int MAX_CHUNK_SIZE = 16 * 1024 * 1024;

    @ParentCommand
    private Main parent;

    @Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The response body to decode; '-' or none reads standard input.")
    private String file = "-";

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    private Chunking chunking;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text (default): the answer text only, exactly, no newline added;"
                    + " jsonl: one JSON object per event (text, header, end or error).")
    private Format format = Format.TEXT;

    @Option(names = "--dialect", paramLabel = "852|openai",
            description = "852 (default): the xutongbao stream; openai: Server-Sent Events as OpenAI-compatible"
                    + " servers send them (text from each chunk's delta.content; jsonl adds finish and usage).")
    private String dialectName;

    @Override
    public Integer call() {
        Chunker chunker = chunker();
        Dialect dialect = dialect();
        Streams streams = parent.streams();
        InputStream in;
        if (file.equals("-")) {
            in = streams.in();
        } else {
            try {
                in = open(file);
            } catch (CannotOpen e) {
                Main.printError(spec.commandLine(), e.getMessage());
                return ExitCodes.USAGE;
            }
        }
        try {
            return decode(in, chunker, streams.out(), dialect);
        } finally {
            if (in != streams.in()) {
                closeQuietly(in);
            }
        }
    }

    private Chunker chunker() {
        if (chunking == null) {
            return Chunker.asRead();
        }
        if (chunking.size != null) {
            if (chunking.size < 1 || chunking.size > MAX_CHUNK_SIZE) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "Invalid value for option '--chunk-size': must be from 1 to " + MAX_CHUNK_SIZE
                                + " (16 MiB; a chunk is held whole until it is fed), was " + chunking.size);
            }
            return Chunker.fixed(chunking.size);
        }
        return Chunker.random(chunking.seed);
    }

    private int decode(InputStream in, Chunker chunker, PrintStream stdout, Dialect dialect) {
        ParseOutput.Output output = format == Format.JSONL ? new ParseOutput.JsonLinesOutput(stdout)
                : new ParseOutput.TextOutput(stdout);
        Chunker.Sink feed;
        Runnable finish;
        if (dialect == Dialect.OPENAI) {
            OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(output);
            feed = decoder::feed;
            finish = decoder::finish;
        } else {
            StreamDecoder decoder = new StreamDecoder(output);
            feed = decoder::feed;
            finish = decoder::finish;
        }
        byte[] buffer = new byte[READ_BUFFER];
        try {
            int n;
            while (!output.stopped()) {
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    return readFailed(output, stdout, e);
                }
                if (n < 0) {
                    chunker.finish(feed);
                    if (!output.stopped()) {
                        finish.run();
                    }
                    break;
                }
                chunker.push(buffer, 0, n, feed);
                if (!flushed(output, stdout)) {
                    return writeFailed();
                }
            }
            if (!flushed(output, stdout)) {
                return writeFailed();
            }
        } catch (UncheckedIOException e) { // only if the output stream throws, which PrintStream does not
            return writeFailed();
        }
        if (output.error != null) {
            Main.printError(spec.commandLine(), "protocol error: " + output.error.getMessage());
            return ExitCodes.PROTOCOL;
        }
        if (output.serverError != null) {
            Main.printError(spec.commandLine(), output.serverError);
            return ExitCodes.API;
        }
        return ExitCodes.OK;
    }

    private Dialect dialect() {
        try {
            return dialectName == null ? Dialect.CHAT852 : Dialect.of(dialectName);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid value for option '--dialect': "
                    + e.getMessage());
        }
    }

    private int readFailed(ParseOutput.Output output, PrintStream stdout, IOException e) {
        String message = "error reading " + describeInput() + ": " + e.getMessage();
        try {
            output.readFailed(message);
        } catch (UncheckedIOException ignored) {
            // The output is broken too; the message still goes to stderr below.
        }
        flushed(output, stdout);
        Main.printError(spec.commandLine(), message);
        return ExitCodes.IO;
    }

    private int writeFailed() {
        // Stop reading: on a pipe whose reader went away (e.g. "| head") there is nobody to decode for.
        Main.printError(spec.commandLine(), "error writing to standard output");
        return ExitCodes.IO;
    }

    /** Flushes what was decoded so far; false if standard output has failed (PrintStream hides the cause). */
    private static boolean flushed(ParseOutput.Output output, PrintStream stdout) {
        try {
            output.flush();
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
        return !stdout.checkError();
    }

    private String describeInput() {
        return file.equals("-") ? "standard input" : "'" + file + "'";
    }

    private static InputStream open(String file) throws CannotOpen {
        Path path;
        try {
            path = Path.of(file);
        } catch (InvalidPathException e) {
            throw new CannotOpen(file, "invalid file name");
        }
        if (Files.isDirectory(path)) {
            throw new CannotOpen(file, "is a directory"); // opens fine on Linux; fails only on read
        }
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new CannotOpen(file, "no such file");
        } catch (AccessDeniedException e) {
            throw new CannotOpen(file, "permission denied");
        } catch (IOException e) {
            throw new CannotOpen(file, String.valueOf(e.getMessage()));
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Everything was read already (or reading failed and was reported).
        }
    }

    /** FILE cannot be opened: a usage error, reported without a stack trace. */
    private static final class CannotOpen extends Exception {
        private static final long serialVersionUID = 1L;

        CannotOpen(String file, String reason) {
            super("cannot read FILE '" + file + "': " + reason, null, false, false);
        }
    }
}
