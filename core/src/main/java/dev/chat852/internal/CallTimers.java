package dev.chat852.internal;

import dev.chat852.ChatTimeoutException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A call's deadlines, on the client's timer thread: the first-byte timeout, from sending each attempt
 * until its response begins, and the idle timeout, which runs only while the call waits for body
 * bytes it asked for (a slow consumer is not the server's fault). A zero duration turns one off. When
 * one expires, the call is told once; {@link #stop()} ends both.
 */
final class CallTimers {
    private final ScheduledExecutorService timer;
    private final Duration firstByte;
    private final Duration idle;
    private final Consumer<ChatTimeoutException> expired;
    private final LongSupplier nanoTime;

    private final Object lock = new Object();
    // -- guarded by lock
    private boolean stopped;
    /** Numbers attempts, so a timer of an attempt that was given up cannot fire for the next. */
    private int attempt = -1;
    private boolean responded;
    private ScheduledFuture<?> firstByteTimer;
    private ScheduledFuture<?> idleTimer;
    /** Whether the call waits for body bytes, and since when (a clock reading, which may be negative). */
    private boolean waiting;
    private long waitingSince;

    CallTimers(ScheduledExecutorService timer, Duration firstByte, Duration idle, Consumer<ChatTimeoutException> expired) {
        this(timer, System::nanoTime, firstByte, idle, expired);
    }

    /** With the clock that {@code timer} runs on, for tests that move both by hand. */
    CallTimers(ScheduledExecutorService timer, LongSupplier nanoTime, Duration firstByte, Duration idle,
            Consumer<ChatTimeoutException> expired) {
        this.timer = timer;
        this.nanoTime = nanoTime;
        this.firstByte = firstByte;
        this.idle = idle;
        this.expired = expired;
    }

    /** Runs {@code task} on the timer thread; {@code null} if the client is closing (its transport ends the call). */
    ScheduledFuture<?> schedule(Runnable task, long nanos) {
        try {
            return timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    /** An attempt was sent: its first-byte deadline starts, replacing any earlier attempt's. */
    void attemptStarted() {
        synchronized (lock) {
            cancel(firstByteTimer);
            firstByteTimer = null;
            if (stopped) {
                return;
            }
            int current = ++attempt;
            responded = false;
            if (!firstByte.isZero()) {
                firstByteTimer = schedule(() -> firstByteExpired(current), firstByte.toNanos());
            }
        }
    }

    /** The attempt is given up (a retry follows after a pause): no deadline runs during the pause. */
    void attemptAbandoned() {
        synchronized (lock) {
            cancel(firstByteTimer);
            firstByteTimer = null;
        }
    }

    /** The response's status line arrived. */
    void responseStarted() {
        synchronized (lock) {
            responded = true;
            cancel(firstByteTimer);
            firstByteTimer = null;
        }
    }

    /** The call asked for body bytes: it waits, unless it already did. */
    void readRequested() {
        synchronized (lock) {
            if (stopped) {
                return;
            }
            if (!waiting) {
                waiting = true;
                waitingSince = nanoTime.getAsLong();
            }
            if (!idle.isZero() && idleTimer == null) {
                idleTimer = schedule(this::idleCheck, idle.toNanos());
            }
        }
    }

    /** Body bytes arrived; {@code stillWaiting} if the call had asked for more than this (a whole body). */
    void bodyArrived(boolean stillWaiting) {
        synchronized (lock) {
            waiting = stillWaiting;
            waitingSince = nanoTime.getAsLong();
        }
    }

    /** The call ended: no deadline fires any more. */
    void stop() {
        synchronized (lock) {
            stopped = true;
            cancel(firstByteTimer);
            cancel(idleTimer);
            firstByteTimer = null;
            idleTimer = null;
        }
    }

    private void firstByteExpired(int n) {
        synchronized (lock) {
            if (stopped || responded || n != attempt) {
                return;
            }
        }
        expired.accept(new ChatTimeoutException(ChatTimeoutException.Kind.FIRST_BYTE, firstByte));
    }

    /** Re-arms for the rest of the period rather than per read, so busy streams cost one timer per period. */
    private void idleCheck() {
        synchronized (lock) {
            idleTimer = null;
            if (stopped || !waiting) {
                return;
            }
            long waited = nanoTime.getAsLong() - waitingSince;
            if (waited < idle.toNanos()) {
                idleTimer = schedule(this::idleCheck, idle.toNanos() - waited);
                return;
            }
        }
        expired.accept(new ChatTimeoutException(ChatTimeoutException.Kind.IDLE, idle));
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
