package dev.chat852.transport.jdk.internal;

import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body's {@link Flow.Subscription}, which arrives only with the response: demand and a cancel that
 * come earlier are kept and passed on when it does. Calls on the subscription are made one at a time
 * (Flow rule 2.7) without a lock: whoever finds the pump busy leaves its work to the pumping thread, so a
 * {@code request} that makes the client deliver synchronously, and the handler ask for more from inside
 * {@code onBody}, cannot recurse or deadlock.
 */
final class Upstream {
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicLong requested = new AtomicLong();
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;
    // -- pumping thread only
    private boolean cancelSent;

    /** Adds {@code n > 0} to the demand, capped at {@link Long#MAX_VALUE} (unbounded). */
    void request(long n) {
        requested.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
        pump();
    }

    void cancel() {
        cancelled = true;
        pump();
    }

    /** The subscription arrived; a second one is cancelled at once. */
    void set(Flow.Subscription s) {
        if (subscription != null) {
            s.cancel();
            return;
        }
        subscription = s;
        pump();
    }

    private void pump() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Flow.Subscription s = subscription;
            if (s != null && !cancelSent) {
                if (cancelled) {
                    cancelSent = true;
                    s.cancel();
                } else {
                    long n = requested.getAndSet(0);
                    if (n > 0) {
                        s.request(n);
                    }
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
