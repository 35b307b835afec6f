package dev.chat852.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * How a long-running command learns that it should stop: Ctrl-C (SIGINT), SIGTERM, or the JVM shutting
 * down for another reason. A command registers a stop action around its long-running part, then
 * finishes on its own thread (flushing what it printed) once the action has run.
 */
interface Interrupts {

    /** The exit status a shell reports for a process ended by SIGINT (Ctrl-C): 128 + 2. */
    int SIGINT_STATUS = 130;

    /** The exit status a shell reports for a process ended by SIGTERM: 128 + 15. */
    int SIGTERM_STATUS = 143;

    /** For in-process runs: nothing interrupts a command but its thread being interrupted. */
    Interrupts NONE = stop -> () -> { };

    /**
     * Until the registration is closed, a first interrupt calls {@code stop} with the exit status it
     * stands for ({@link #SIGINT_STATUS} or {@link #SIGTERM_STATUS}) instead of ending the JVM. The
     * action must return quickly: it cancels, closes or signals, and the command's own thread does the rest.
     */
    Registration onInterrupt(IntConsumer stop);

    /** Ends a registration; idempotent, never throws. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** The real process: SIGINT and SIGTERM handlers where the JVM allows them, and a shutdown hook. */
    static Interrupts ofProcess() {
        return ProcessInterrupts::register;
    }

    /**
     * Signal handlers through {@code sun.misc.Signal} (module {@code jdk.unsupported}), reached by
     * reflection so the build needs no internal API. Handling the signal, rather than only adding a
     * shutdown hook, lets the command exit with a status of its own choosing ({@code mock} exits 0 on
     * SIGTERM) after it has finished cleanly. A shutdown hook covers the other ways a JVM ends (SIGHUP,
     * or a JVM without {@code sun.misc.Signal}): it runs the action and waits a little for the command
     * to finish. A second signal during the first one's clean-up ends the JVM at once.
     */
    final class ProcessInterrupts implements Registration {
        private static final long HOOK_WAIT_MILLIS = 3_000;

        private final IntConsumer stop;
        private final AtomicBoolean fired = new AtomicBoolean();
        private final CountDownLatch finished = new CountDownLatch(1);
        private final List<Object[]> replaced = new ArrayList<>(); // {Signal, previous SignalHandler}
        private final Thread hook;

        private ProcessInterrupts(IntConsumer stop) {
            this.stop = stop;
            this.hook = new Thread(this::onShutdown, "chat852-shutdown");
        }

        static Registration register(IntConsumer stop) {
            ProcessInterrupts r = new ProcessInterrupts(stop);
            r.handle("INT", SIGINT_STATUS);
            r.handle("TERM", SIGTERM_STATUS);
            try {
                Runtime.getRuntime().addShutdownHook(r.hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                r.fire(SIGTERM_STATUS);
            }
            return r;
        }

        private void fire(int status) {
            if (fired.compareAndSet(false, true)) {
                stop.accept(status);
            } else if (finished.getCount() > 0) {
                Runtime.getRuntime().halt(status); // asked twice: stop waiting for the clean-up
            }
        }

        private void onShutdown() {
            fire(SIGTERM_STATUS);
            try {
                finished.await(HOOK_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void handle(String name, int status) {
            try {
                Class<?> signalClass = Class.forName("sun.misc.Signal");
                Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                Constructor<?> newSignal = signalClass.getConstructor(String.class);
                Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
                Object handler = Proxy.newProxyInstance(Interrupts.class.getClassLoader(),
                        new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                            if (method.getName().equals("handle")) {
                                fire(status);
                                return null;
                            }
                            return objectMethod(proxy, method, args);
                        });
                Object signal = newSignal.newInstance(name);
                Object previous = handle.invoke(null, signal, handler);
                replaced.add(new Object[] {signal, previous});
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                // No sun.misc.Signal, or the signal is reserved (java -Xrs): the shutdown hook still works.
            }
        }

        private static Object objectMethod(Object proxy, Method method, Object[] args) {
            switch (method.getName()) {
                case "equals": return proxy == args[0];
                case "hashCode": return System.identityHashCode(proxy);
                default: return "chat852 interrupt handler";
            }
        }

        @Override
        public void close() {
            for (Object[] r : replaced) {
                try {
                    Class<?> signalClass = r[0].getClass();
                    Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
                    signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, r[0], r[1]);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // Keep going: the JVM is ending, or the handler stays ours, which only calls a finished action.
                }
            }
            replaced.clear();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it waits for the latch below.
            }
            finished.countDown();
        }
    }
}
