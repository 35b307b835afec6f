package dev.chat852.transport.netty;

import dev.chat852.spi.ResponseHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records what a transport tells one exchange, and checks the SPI's promises as it goes: calls never
 * overlap, nothing follows the end, every body chunk is non-empty. Broken promises land in
 * {@link #violations}.
 */
final class RecordingHandler implements ResponseHandler {
    final CompletableFuture<Integer> status = new CompletableFuture<>();
    volatile Map<String, List<String>> headers;
    final CompletableFuture<byte[]> completed = new CompletableFuture<>();
    final CompletableFuture<Throwable> failed = new CompletableFuture<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final AtomicLong bodyBytes = new AtomicLong();
    final AtomicLong bodyCalls = new AtomicLong();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final AtomicBoolean inCall = new AtomicBoolean();
    private volatile boolean ended;
    private volatile boolean keepBody = true;
    /** A RuntimeException or an Error. */
    private volatile Throwable throwFromBody;
    /** Whether every body buffer so far was direct memory (a view of Netty's buffer, not a heap copy). */
    volatile boolean allDirect = true;

    /** Counts body bytes without keeping them (for large bodies). */
    RecordingHandler countOnly() {
        keepBody = false;
        return this;
    }

    /** Makes the first {@link #onBody} throw {@code e}, as a broken handler would. */
    RecordingHandler throwFromBody(RuntimeException e) {
        throwFromBody = e;
        return this;
    }

    /** Makes the first {@link #onBody} throw {@code e}, as a handler out of memory would. */
    RecordingHandler throwFromBody(Error e) {
        throwFromBody = e;
        return this;
    }

    @Override
    public void onResponse(int code, Map<String, List<String>> h) {
        enter("onResponse");
        try {
            headers = h;
            status.complete(code);
        } finally {
            exit();
        }
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        enter("onBody");
        try {
            if (!chunk.hasRemaining()) {
                violations.add("empty onBody");
            }
            int n = chunk.remaining();
            allDirect &= chunk.isDirect();
            if (keepBody) {
                byte[] b = new byte[n];
                chunk.get(b);
                synchronized (body) {
                    body.write(b, 0, n);
                }
            }
            bodyCalls.incrementAndGet();
            bodyBytes.addAndGet(n);
            Throwable e = throwFromBody;
            if (e != null) {
                throwFromBody = null;
                if (e instanceof Error) {
                    throw (Error) e;
                }
                throw (RuntimeException) e;
            }
        } finally {
            exit();
        }
    }

    @Override
    public void onComplete() {
        enter("onComplete");
        try {
            ended = true;
            completed.complete(body());
        } finally {
            exit();
        }
    }

    @Override
    public void onError(Throwable error) {
        enter("onError");
        try {
            ended = true;
            failed.complete(error);
        } finally {
            exit();
        }
    }

    private void enter(String call) {
        threads.add(Thread.currentThread().getName());
        if (!inCall.compareAndSet(false, true)) {
            violations.add(call + " overlapped another call");
        }
        if (ended) {
            violations.add(call + " after the end");
        }
    }

    private void exit() {
        inCall.set(false);
    }

    byte[] body() {
        synchronized (body) {
            return body.toByteArray();
        }
    }

    String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    byte[] awaitCompletion() throws Exception {
        try {
            return completed.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no onComplete within 10 s; failed: " + failed.getNow(null)
                    + ", received " + bodyBytes.get() + " bytes");
        }
    }

    Throwable awaitFailure() throws Exception {
        try {
            return failed.get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no onError within 10 s; completed: " + completed.isDone());
        }
    }
}
