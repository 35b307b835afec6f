package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the shaded jar as a separate process, from the repository root, as the README tells newcomers to. */
@Timeout(60)
class ParseCommandIT {

    private static final String JAR = "cli/target/chat852.jar";

    @BeforeAll
    static void jarWasBuilt() {
        assertThat(Samples.REPO_ROOT.resolve(JAR)).as("the shaded jar (built by package)").isRegularFile();
    }

    @Test
    void parsesTheSampleFileToItsAnswer() throws Exception {
        Result result = run(null, "parse", Samples.SAMPLE_BODY);

        assertThat(result.exit).isZero();
        assertThat(result.stdout).isEqualTo(Samples.SAMPLE_ANSWER.getBytes(UTF_8));
        assertThat(result.stderr).isEmpty();
    }

    @Test
    void parsesStandardInput() throws Exception {
        byte[] body = Files.readAllBytes(Samples.sampleBody());

        Result dash = run(body, "parse", "-");
        Result none = run(body, "parse", "--random-chunks", "852");

        assertThat(dash.exit).isZero();
        assertThat(dash.stdout).isEqualTo(Samples.SAMPLE_ANSWER.getBytes(UTF_8));
        assertThat(none.exit).isZero();
        assertThat(none.stdout).isEqualTo(Samples.SAMPLE_ANSWER.getBytes(UTF_8));
    }

    @Test
    void writesUtf8WhateverThePlatformCharset() throws Exception {
        Result result = runJava(List.of("-Dfile.encoding=US-ASCII", "-Dstdout.encoding=US-ASCII"), null,
                "parse", "--format", "jsonl", Samples.SAMPLE_BODY);

        assertThat(result.exit).isZero();
        assertThat(new String(result.stdout, UTF_8)).contains("当然可以！").contains("😊").endsWith("{\"type\":\"end\"}\n");
    }

    @Test
    void exitsThreeOnAnUnterminatedHeaderAfterPrintingTheTextBeforeIt() throws Exception {
        Result result = run("前文start852{\"a\":".getBytes(UTF_8), "parse");

        assertThat(result.exit).isEqualTo(3);
        assertThat(new String(result.stdout, UTF_8)).isEqualTo("前文");
        assertThat(new String(result.stderr, UTF_8)).startsWith("chat852 parse: protocol error:");
    }

    @Test
    void exitsTwoOnAMissingFile() throws Exception {
        Result result = run(null, "parse", "docs/samples/no-such-body.txt");

        assertThat(result.exit).isEqualTo(2);
        assertThat(result.stdout).isEmpty();
        assertThat(new String(result.stderr, UTF_8)).contains("no-such-body.txt").contains("no such file");
    }

    @Test
    void printsTextWhileStandardInputIsStillOpen() throws Exception {
        Process process = start(List.of(), "parse");
        OutputStream stdin = process.getOutputStream();
        InputStream stdout = process.getInputStream();
        try {
            stdin.write("start852{\"a\":1}end852你好, 世".getBytes(UTF_8));
            stdin.flush();
            byte[] first = "你好, 世".getBytes(UTF_8);
            byte[] arrived = CompletableFuture.supplyAsync(() -> readExactly(stdout, first.length))
                    .get(30, TimeUnit.SECONDS);
            assertThat(arrived).isEqualTo(first);
            assertThat(process.isAlive()).isTrue();

            stdin.write("界undefined".getBytes(UTF_8));
            stdin.close();

            assertThat(new String(stdout.readAllBytes(), UTF_8)).isEqualTo("界");
            assertThat(process.waitFor()).isZero();
        } finally {
            process.destroy();
        }
    }

    /**
     * Failure 9: a chunk size too large to hold is a usage error (2), not an OutOfMemoryError (1), and
     * the largest one allowed decodes a large input within a small heap.
     */
    @Test
    void aHugeChunkSizeIsAUsageErrorAndTheLargestAllowedFitsASmallHeap() throws Exception {
        byte[] input = "a".repeat(40 << 20).getBytes(UTF_8);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("chat852-large", ".txt");
        java.nio.file.Files.write(file, input);
        file.toFile().deleteOnExit();
        Result huge = runJava(List.of("-Xmx64m"), null, "parse", "--chunk-size", "1000000000", file.toString());
        assertThat(huge.exit).isEqualTo(2);
        assertThat(new String(huge.stderr, UTF_8)).contains("--chunk-size", "16777216").doesNotContain("OutOfMemoryError");

        Result largest = runJava(List.of("-Xmx64m"), null, "parse", "--chunk-size", "16777216", file.toString());
        assertThat(largest.exit).as(new String(largest.stderr, UTF_8)).isEqualTo(0);
        assertThat(largest.stdout).hasSize(input.length);
    }

    private record Result(int exit, byte[] stdout, byte[] stderr) {
    }

    private static Result run(byte[] stdin, String... args) throws Exception {
        return runJava(List.of(), stdin, args);
    }

    /** Runs the jar with {@code stdin} (or an empty, closed stdin if null) and collects its output. */
    private static Result runJava(List<String> jvmArgs, byte[] stdin, String... args) throws Exception {
        Process process = start(jvmArgs, args);
        try {
            CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            byte[] stdout = process.getInputStream().readAllBytes();
            int exit = process.waitFor();
            return new Result(exit, stdout, stderr.get(30, TimeUnit.SECONDS));
        } finally {
            process.destroy();
        }
    }

    private static Process start(List<String> jvmArgs, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(JAR);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(Samples.REPO_ROOT.toFile()).start();
    }

    /** The java running the tests, so the jar is checked on the JDK the build uses. */
    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static byte[] readExactly(InputStream in, int length) {
        try {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
