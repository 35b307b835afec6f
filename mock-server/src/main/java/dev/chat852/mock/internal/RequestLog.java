package dev.chat852.mock.internal;

import dev.chat852.mock.ReceivedRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The requests a mock server received, newest {@code limit} kept, and a cursor for taking them one by
 * one in arrival order, blocking until the next arrives (MockWebServer's {@code takeRequest}). A
 * request dropped from the log before it was taken is skipped. Thread-safe.
 */
public final class RequestLog {
    private final int limit;
    // -- guarded by this
    private final ArrayDeque<ReceivedRequest> log = new ArrayDeque<>();
    /** How many requests arrived in all. */
    private long arrived;
    /** Arrival number (from 0) of the next request to take. */
    private long nextToTake;

    public RequestLog(int limit) {
        this.limit = limit;
    }

    public synchronized void add(ReceivedRequest request) {
        log.addLast(request);
        arrived++;
        while (log.size() > limit) {
            log.removeFirst();
        }
        notifyAll();
    }

    /** Every request kept, oldest first. */
    public synchronized List<ReceivedRequest> all() {
        return List.copyOf(log);
    }

    /** Forgets every request; the next one taken is one that arrives after this. */
    public synchronized void clear() {
        log.clear();
        nextToTake = arrived;
    }

    /**
     * The next request not yet taken, waiting up to {@code timeout} for it to arrive; null if none did.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public synchronized ReceivedRequest take(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long oldestKept = arrived - log.size();
            nextToTake = Math.max(nextToTake, oldestKept);
            if (nextToTake < arrived) {
                Iterator<ReceivedRequest> it = log.iterator();
                for (long i = oldestKept; i < nextToTake; i++) {
                    it.next();
                }
                nextToTake++;
                return it.next();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
