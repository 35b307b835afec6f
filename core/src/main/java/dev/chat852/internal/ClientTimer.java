package dev.chat852.internal;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client's timer thread, where its calls' deadlines wait: first byte, idle, a retry's pause.
 *
 * <p>A {@link ScheduledThreadPoolExecutor}'s thread sleeps until its earliest task is due, and a task
 * queued ahead of all the others has to wake it so that it sleeps again for the shorter time: a futex
 * wake-up and two context switches. Calls made one after another each queued the earliest task, since
 * the last call's deadlines were cancelled when it ended: 2.2 wake-ups of this thread per short call,
 * counted in {@code TransportBenchmark.shortCall}. So while calls start, a tick that does nothing is
 * never more than {@link #TICK} away; deadlines further off queue behind it and wake nobody, and the
 * thread wakes once a tick instead of twice a call. The tick stops after a tick in which no call
 * started, so an idle client's thread sleeps.
 */
public final class ClientTimer {
    /** How far ahead the tick stays while calls start; deadlines nearer than this still wake the thread. */
    static final Duration TICK = Duration.ofSeconds(1);

    private final ScheduledExecutorService executor;
    private final long tickNanos;
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** A call started since the last tick. */
    private volatile boolean busy;

    ClientTimer(ScheduledExecutorService executor, Duration tick) {
        this.executor = executor;
        this.tickNanos = tick.toNanos();
    }

    /** A timer on a daemon thread of its own, named {@code chat852-timeouts}. */
    public static ClientTimer newThread() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chat852-timeouts");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // a cancelled deadline must not hold its call until it is due
        return new ClientTimer(executor, TICK);
    }

    /** Where deadlines are scheduled. */
    ScheduledExecutorService executor() {
        return executor;
    }

    /** A call is starting: keeps the tick going, or starts it. */
    void callStarted() {
        if (!busy) {
            busy = true;
        }
        if (!ticking.get() && ticking.compareAndSet(false, true)) {
            scheduleTick();
        }
    }

    private void tick() {
        if (busy) {
            busy = false;
            scheduleTick();
            return;
        }
        ticking.set(false);
        if (busy && ticking.compareAndSet(false, true)) { // a call started as the tick stopped
            scheduleTick();
        }
    }

    private void scheduleTick() {
        try {
            executor.schedule(this::tick, tickNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // shut down: the client is closing, and no deadline will wait any more
        }
    }

    /** Stops the thread; deadlines still waiting never fire. */
    public void shutdown() {
        executor.shutdownNow();
    }
}
