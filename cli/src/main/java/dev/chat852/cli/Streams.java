package dev.chat852.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Objects;

/**
 * The byte streams a command reads and writes. Commands take them from here rather than from
 * {@code System}, so tests can run them in-process with captured bytes.
 */
record Streams(InputStream in, PrintStream out, PrintStream err) {
    Streams {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }
}
