package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A command run in-process on its own thread, for servers and interrupted streams. */
final class Background implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeInterrupts interrupts = new FakeInterrupts();
    private final CompletableFuture<Integer> exit;
    private final Thread[] thread = new Thread[1];

    private Background(Environment environment, InputStream stdin, String... args) {
        Environment env = TestEnvironment.with(environment, interrupts);
        Streams streams = new Streams(stdin, new PrintStream(out, true), new PrintStream(err, true));
        exit = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                exit.complete(Main.run(streams, env, args));
            } catch (Throwable e) {
                exit.completeExceptionally(e);
            }
        }, "chat852-in-process");
        t.setDaemon(true);
        thread[0] = t;
        t.start();
    }

    static Background start(Environment environment, InputStream stdin, String... args) {
        return new Background(environment, stdin, args);
    }

    static Background start(String... args) {
        return new Background(TestEnvironment.plain(), InputStream.nullInputStream(), args);
    }

    FakeInterrupts interrupts() {
        return interrupts;
    }

    String stdout() {
        return out.toString(UTF_8);
    }

    String stderr() {
        return err.toString(UTF_8);
    }

    /** Waits until stdout satisfies {@code condition}; fails with what was printed if it does not in time. */
    String awaitStdout(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(stdout())) {
            if (exit.isDone() || System.nanoTime() > deadline) {
                throw new AssertionError("stdout never matched; exit " + (exit.isDone() ? exit.join() : "none")
                        + ", stdout: " + stdout() + ", stderr: " + stderr());
            }
            Thread.sleep(5);
        }
        return stdout();
    }

    /** Waits for the ready line of {@code mock} or {@code record} and returns its URL. */
    URI awaitReady() throws InterruptedException {
        String line = awaitStdout(s -> s.endsWith("\n"), Duration.ofSeconds(20)).strip();
        return URI.create(line.substring("listening on ".length()));
    }

    int awaitExit(Duration timeout) throws Exception {
        return exit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isDone() {
        return exit.isDone();
    }

    /** Stops a command still running (a failed test), by interrupt and then by thread interruption. */
    @Override
    public void close() throws Exception {
        if (!exit.isDone()) {
            interrupts.fire(Interrupts.SIGTERM_STATUS);
            thread[0].interrupt();
            exit.handle((v, e) -> null).get(10, TimeUnit.SECONDS);
        }
    }
}
