package dev.chat852.cli;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

/** Interrupts a test fires itself, standing in for Ctrl-C and SIGTERM. */
final class FakeInterrupts implements Interrupts {
    private final List<IntConsumer> registered = new CopyOnWriteArrayList<>();
    private volatile int fireOnRegister;

    /** Interrupts that arrive the moment a command registers (the race of a very early Ctrl-C). */
    static FakeInterrupts firingAtOnce(int status) {
        FakeInterrupts interrupts = new FakeInterrupts();
        interrupts.fireOnRegister = status;
        return interrupts;
    }

    @Override
    public Registration onInterrupt(IntConsumer stop) {
        registered.add(stop);
        if (fireOnRegister != 0) {
            stop.accept(fireOnRegister);
        }
        return () -> registered.remove(stop);
    }

    /** Waits until a command has registered, i.e. is in its interruptible part. */
    void awaitRegistered(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (registered.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no command registered for interrupts");
            }
            Thread.sleep(5);
        }
    }

    /** What a signal does: runs the registered stop actions with the signal's exit status. */
    void fire(int status) {
        registered.forEach(stop -> stop.accept(status));
    }

    boolean anyRegistered() {
        return !registered.isEmpty();
    }
}
