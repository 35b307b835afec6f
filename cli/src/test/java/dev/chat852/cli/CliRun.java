package dev.chat852.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code chat852} in-process with captured stdout and stderr bytes, in a {@link TestEnvironment}
 * (no variables unless given, so a developer's own CHAT852_TOKEN never leaks into a test).
 */
record CliRun(int exit, byte[] stdoutBytes, String stderr) {

    static CliRun run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static CliRun run(byte[] stdin, String... args) {
        return run(new ByteArrayInputStream(stdin), args);
    }

    static CliRun run(InputStream stdin, String... args) {
        return run(TestEnvironment.plain(), stdin, args);
    }

    static CliRun run(Environment environment, String stdin, String... args) {
        return run(environment, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), args);
    }

    static CliRun run(Environment environment, InputStream stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(new Streams(stdin, new PrintStream(out), new PrintStream(err)), environment, args);
        return new CliRun(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }
}
