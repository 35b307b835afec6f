package dev.chat852.mock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Holds a response back until the test opens it: the status line ({@link MockResponse.Builder#hold(Gate)})
 * or the body after so many bytes ({@link MockResponse.Builder#hold(long, Gate)}). While it is closed
 * the server sends nothing more on that response and keeps reading the connection, so a client that
 * goes away meanwhile is seen at once. Thread-safe; a gate opens once and stays open.
 *
 * <pre>{@code
 * Gate gate = new Gate();
 * server.dispatcher(request -> MockResponse.builder(RecordedResponse.builder()
 *         .chunk(0, "start852{}end852").chunk(0, "前半句").build())
 *         .hold(25, gate)                       // after the header block and 前半句 …
 *         .build());
 * // … the client has the first part; now let the rest go:
 * gate.open();
 * }</pre>
 */
public final class Gate {
    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    /** A closed gate. */
    public Gate() {
    }

    /** Opens the gate: the responses it holds go on. Idempotent. */
    public void open() {
        opened.complete(null);
    }

    /** Whether {@link #open()} was called. */
    public boolean isOpen() {
        return opened.isDone();
    }

    /** Completes when the gate opens (at once if it is open), for code that must not block. */
    public CompletionStage<Void> whenOpen() {
        return opened.minimalCompletionStage();
    }

    @Override
    public String toString() {
        return isOpen() ? "Gate[open]" : "Gate[closed]";
    }
}
