package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar as a process from the repository root, as the README tells newcomers to. */
final class Jar {
    static final String PATH = "cli/target/chat852.jar";

    private Jar() {
    }

    record Result(int exit, byte[] stdoutBytes, String stderr) {
        String stdout() {
            return new String(stdoutBytes, UTF_8);
        }
    }

    /** A running process whose stdout and stderr are collected in the background. */
    static final class Running implements AutoCloseable {
        final Process process;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final ByteArrayOutputStream err = new ByteArrayOutputStream();
        private final CompletableFuture<Void> outDone;
        private final CompletableFuture<Void> errDone;

        Running(Process process) {
            this.process = process;
            this.outDone = CompletableFuture.runAsync(() -> copy(process.getInputStream(), out));
            this.errDone = CompletableFuture.runAsync(() -> copy(process.getErrorStream(), err));
        }

        String stdout() {
            synchronized (out) {
                return out.toString(UTF_8);
            }
        }

        String stderr() {
            synchronized (err) {
                return err.toString(UTF_8);
            }
        }

        /** Waits until stdout has at least one full line and returns the first. */
        String awaitFirstLine(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (!stdout().contains("\n")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no line on stdout; alive " + process.isAlive() + ", stdout: "
                            + stdout() + ", stderr: " + stderr());
                }
                Thread.sleep(10);
            }
            return stdout().substring(0, stdout().indexOf('\n'));
        }

        /** Waits until stdout is not empty. */
        void awaitOutput(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (stdout().isEmpty()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("no output; stderr: " + stderr());
                }
                Thread.sleep(10);
            }
        }

        Result await(long timeout, TimeUnit unit) throws Exception {
            if (!process.waitFor(timeout, unit)) {
                throw new AssertionError("still running after " + timeout + " " + unit + "; stdout: " + stdout()
                        + ", stderr: " + stderr());
            }
            outDone.get(10, TimeUnit.SECONDS);
            errDone.get(10, TimeUnit.SECONDS);
            return new Result(process.exitValue(), out.toByteArray(), stderr());
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }

        private static void copy(InputStream in, ByteArrayOutputStream sink) {
            byte[] buffer = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (sink) {
                        sink.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts the jar; stdin stays open until the caller closes {@code process.getOutputStream()}. */
    static Running start(Map<String, String> environment, String... args) throws IOException {
        return start(List.of(), environment, args);
    }

    /** Starts the jar with these JVM options (a small heap, say) before {@code -jar}. */
    static Running start(List<String> jvmArgs, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(PATH);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Samples.REPO_ROOT.toFile());
        builder.environment().remove(Environment.TOKEN_VARIABLE); // a developer's own token stays out
        builder.environment().putAll(environment);
        return new Running(builder.start());
    }

    /** Runs the jar with {@code stdin} written and closed (empty if null), and waits for it. */
    static Result run(byte[] stdin, String... args) throws Exception {
        try (Running running = start(Map.of(), args)) {
            try (OutputStream in = running.process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            return running.await(60, TimeUnit.SECONDS);
        }
    }

    /** The java running the tests, so the jar is checked on the JDK the build uses. */
    static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
