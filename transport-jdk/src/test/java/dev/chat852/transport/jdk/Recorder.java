package dev.chat852.transport.jdk;

import dev.chat852.spi.ResponseHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A {@link ResponseHandler} that records what it is told and checks the SPI's rules as it goes: calls
 * never overlap, onResponse first, bodies never empty, exactly one end and nothing after it. Broken
 * rules are collected in {@link #violations()}, which every test expects to be empty.
 */
class Recorder implements ResponseHandler {
    private final AtomicBoolean inCall = new AtomicBoolean();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<byte[]> chunks = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    final CompletableFuture<Throwable> end = new CompletableFuture<>();
    volatile Map<String, List<String>> headers;
    private volatile boolean ended;
    private volatile boolean completed;

    @Override
    public void onResponse(int status, Map<String, List<String>> headers) {
        enter("onResponse");
        if (this.status.isDone()) {
            violations.add("onResponse twice");
        }
        this.headers = headers;
        this.status.complete(status);
        exit();
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        enter("onBody");
        if (!status.isDone()) {
            violations.add("onBody before onResponse");
        }
        if (!chunk.hasRemaining()) {
            violations.add("empty onBody");
        }
        byte[] b = new byte[chunk.remaining()];
        chunk.get(b);
        chunks.add(b);
        body(b);
        exit();
    }

    /** For subclasses that react to a chunk; called inside onBody. */
    void body(byte[] chunk) {
    }

    @Override
    public void onComplete() {
        enter("onComplete");
        completed = true;
        ended = true;
        end.complete(null);
        exit();
    }

    @Override
    public void onError(Throwable error) {
        enter("onError");
        ended = true;
        end.complete(error);
        exit();
    }

    private void enter(String call) {
        threads.add(Thread.currentThread().getName());
        if (!inCall.compareAndSet(false, true)) {
            violations.add(call + " while another call was under way");
        }
        if (ended) {
            violations.add(call + " after the end");
        }
    }

    private void exit() {
        inCall.set(false);
    }

    List<String> violations() {
        return new ArrayList<>(violations);
    }

    List<String> threads() {
        return new ArrayList<>(threads);
    }

    int chunkCount() {
        return chunks.size();
    }

    List<String> chunkStrings() {
        List<String> out = new ArrayList<>();
        chunks.forEach(c -> out.add(new String(c, StandardCharsets.UTF_8)));
        return out;
    }

    String bodyString() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        chunks.forEach(all::writeBytes);
        return all.toString(StandardCharsets.UTF_8);
    }

    boolean completed() {
        return completed;
    }

    boolean ended() {
        return ended;
    }

    int awaitStatus() throws Exception {
        return status.get(TestRequests.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error the exchange ended with, or null if it completed. */
    Throwable awaitEnd() throws Exception {
        return end.get(TestRequests.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    void awaitChunks(int n) throws InterruptedException {
        await(() -> chunks.size() >= n, "chunks >= " + n + " (have " + chunks.size() + ")");
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TestRequests.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Waits a little to show that nothing more happens. */
    static void quietPeriod() throws InterruptedException {
        Thread.sleep(Duration.ofMillis(300).toMillis());
    }
}
