package dev.chat852.tck;

import static org.assertj.core.api.Assertions.fail;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatListener;
import dev.chat852.wire.Header;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A listener that records its calls as strings ({@code header:<raw>}, {@code text:<piece>},
 * {@code complete:<text>}, {@code error:<SimpleName>}) and, once {@link #silence()}d, every call
 * that still arrives.
 */
final class RecordingListener implements ChatListener {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<String> afterSilence = Collections.synchronizedList(new ArrayList<>());
    private final StringBuilder text = new StringBuilder();
    private final CompletableFuture<Object> ended = new CompletableFuture<>();
    private final AtomicInteger inCall = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();
    private volatile boolean silenced;

    private void record(String call) {
        if (inCall.incrementAndGet() != 1) {
            overlaps.incrementAndGet();
        }
        try {
            if (silenced) {
                afterSilence.add(call);
            }
            calls.add(call);
        } finally {
            inCall.decrementAndGet();
        }
    }

    /** How many calls began while another was still running (never allowed). */
    public int overlaps() {
        return overlaps.get();
    }

    @Override
    public void onHeader(Header header) {
        record("header:" + header.raw());
    }

    @Override
    public void onText(String piece) {
        synchronized (text) {
            text.append(piece);
        }
        record("text:" + piece);
    }

    @Override
    public void onComplete(ChatCompletion completion) {
        record("complete:" + completion.text());
        ended.complete(completion);
    }

    @Override
    public void onError(Chat852Exception error) {
        record("error:" + error.getClass().getSimpleName());
        ended.complete(error);
    }

    /** From now on, calls are also listed in {@link #callsAfterSilence()}. */
    public void silence() {
        silenced = true;
    }

    public List<String> calls() {
        synchronized (calls) {
            return new ArrayList<>(calls);
        }
    }

    public List<String> callsAfterSilence() {
        synchronized (afterSilence) {
            return new ArrayList<>(afterSilence);
        }
    }

    public String text() {
        synchronized (text) {
            return text.toString();
        }
    }

    public ChatCompletion awaitCompletion() throws InterruptedException {
        Object end = awaitEnd();
        if (end instanceof Throwable) {
            throw new AssertionError("the call failed: " + end, (Throwable) end);
        }
        return (ChatCompletion) end;
    }

    public Chat852Exception awaitError() throws InterruptedException {
        Object end = awaitEnd();
        if (!(end instanceof Chat852Exception)) {
            fail("expected the call to fail, but it completed: " + end);
        }
        return (Chat852Exception) end;
    }

    private Object awaitEnd() throws InterruptedException {
        try {
            return ended.get(Tck.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the listener got neither onComplete nor onError within " + Tck.WAIT.toMillis()
                    + " ms; calls: " + calls(), e);
        }
    }

    @Override
    public String toString() {
        return "calls: " + calls();
    }
}
