package dev.chat852.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking every few milliseconds: the kit never sleeps to "wait for" things. */
public final class Poll {
    private static final long INTERVAL_MILLIS = 10;

    private Poll() {
    }

    /**
     * Returns as soon as {@code condition} holds; throws an {@link AssertionError} that says what was
     * awaited, and how things stood, if it still does not hold after {@code timeout}.
     *
     * @param state describes the current state for the failure message (called only on failure)
     */
    public static void until(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        poll(timeout, what, condition, state, false);
    }

    /** {@link #until(Duration, String, BooleanSupplier, Supplier)} without a state description. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        poll(timeout, what, condition, () -> "", false);
    }

    /**
     * Like {@link #until(Duration, String, BooleanSupplier, Supplier)}, asking for a garbage collection
     * between checks: for resources that are released when their owner becomes unreachable (the JDK 17
     * {@code HttpClient} stops its selector thread and closes its pooled connections only then).
     */
    public static void untilWithGc(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state) {
        poll(timeout, what, condition, state, true);
    }

    private static void poll(Duration timeout, String what, BooleanSupplier condition, Supplier<String> state,
            boolean gc) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long interval = INTERVAL_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                String s = state.get();
                throw new AssertionError("waited " + timeout.toMillis() + " ms for " + what
                        + (s == null || s.isEmpty() ? "" : "; " + s));
            }
            if (gc) {
                System.gc();
                interval = 50;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
