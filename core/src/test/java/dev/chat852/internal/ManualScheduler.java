package dev.chat852.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A timer whose clock moves only when the test says: {@code schedule} queues a task, {@link #advance}
 * runs, in order, the tasks that fall due (on the test's thread), so timing is tested without waiting.
 */
final class ManualScheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long now;
    private long sequence;
    private boolean shutdown;

    /** The view the code under test schedules on: {@code schedule(Runnable, …)} and shutting down only. */
    ScheduledExecutorService executor() {
        return (ScheduledExecutorService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ScheduledExecutorService.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "schedule":
                            if (shutdown) {
                                throw new java.util.concurrent.RejectedExecutionException("shut down");
                            }
                            Task t = new Task((Runnable) args[0], now + ((TimeUnit) args[2]).toNanos((Long) args[1]));
                            tasks.add(t);
                            return t;
                        case "shutdownNow":
                            shutdown = true;
                            return List.of();
                        case "isShutdown":
                            return shutdown;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    /** The clock, in nanoseconds: what {@code System.nanoTime()} is to the real timer. */
    long nanoTime() {
        return now;
    }

    /** Moves the clock on by {@code d}, running what falls due (including what those tasks schedule). */
    void advance(Duration d) {
        long until = now + d.toNanos();
        while (!tasks.isEmpty() && tasks.peek().due <= until) {
            Task t = tasks.poll();
            now = t.due;
            if (!t.cancelled) {
                t.done = true;
                t.task.run();
            }
        }
        now = until;
    }

    /** Tasks waiting and not cancelled. */
    List<Duration> pending() {
        List<Duration> due = new ArrayList<>();
        for (Task t : tasks) {
            if (!t.cancelled) {
                due.add(Duration.ofNanos(t.due - now));
            }
        }
        return due;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable task;
        final long due;
        final long order = sequence++;
        boolean cancelled;
        boolean done;

        Task(Runnable task, long due) {
            this.task = task;
            this.due = due;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(due - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Task other = (Task) o;
            return due != other.due ? Long.compare(due, other.due) : Long.compare(order, other.order);
        }

        @Override
        public boolean cancel(boolean mayInterrupt) {
            boolean was = !cancelled && !done;
            cancelled = true;
            return was;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
