package dev.chat852.mock.internal;

import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiRequest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The recordings a mock server answers from, in matching order: one-shot ones (each used once, oldest
 * first), added ones (newest first), then the builder's. Thread-safe.
 */
public final class RecordingStore {
    private final List<Recording> initial;
    private final Object lock = new Object();
    // -- guarded by lock
    private final ArrayDeque<Recording> oneShot = new ArrayDeque<>();
    private final ArrayDeque<Recording> added = new ArrayDeque<>();

    public RecordingStore(List<Recording> initial) {
        this.initial = List.copyOf(initial);
    }

    /** Answers the next matching request, once, before any other recording. */
    public void enqueue(Recording recording) {
        Objects.requireNonNull(recording, "recording");
        synchronized (lock) {
            oneShot.addLast(recording);
        }
    }

    /** Checked before every earlier one, until {@link #reset()}. */
    public void add(Recording recording) {
        Objects.requireNonNull(recording, "recording");
        synchronized (lock) {
            added.addFirst(recording);
        }
    }

    /**
     * The recording that answers {@code request}, or null: one of the request's dialect whose matcher
     * matches. A one-shot recording it returns is used up.
     */
    public Recording match(ApiRequest request) {
        synchronized (lock) {
            for (Iterator<Recording> it = oneShot.iterator(); it.hasNext(); ) {
                Recording r = it.next();
                if (matches(r, request)) {
                    it.remove();
                    return r;
                }
            }
            for (Recording r : added) {
                if (matches(r, request)) {
                    return r;
                }
            }
        }
        for (Recording r : initial) {
            if (matches(r, request)) {
                return r;
            }
        }
        return null;
    }

    private static boolean matches(Recording r, ApiRequest request) {
        return r.dialect() == request.dialect() && r.request().matches(request.model(), request.messages());
    }

    /** Every recording in matching order. */
    public List<Recording> all() {
        List<Recording> all = new ArrayList<>();
        synchronized (lock) {
            all.addAll(oneShot);
            all.addAll(added);
        }
        all.addAll(initial);
        return all;
    }

    /** The builder's recordings, as given. */
    public List<Recording> initial() {
        return initial;
    }

    /** Forgets enqueued and added recordings; the builder's stay. */
    public void reset() {
        synchronized (lock) {
            oneShot.clear();
            added.clear();
        }
    }
}
