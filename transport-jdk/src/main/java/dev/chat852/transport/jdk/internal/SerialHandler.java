package dev.chat852.transport.jdk.internal;

import dev.chat852.spi.ResponseHandler;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Passes signals from any thread to a {@link ResponseHandler} in order, one call at a time and never
 * re-entrantly: the thread that finds the handler idle delivers, a thread that finds it busy leaves its
 * signal to that one (a work-in-progress counter, no lock held while the handler runs, so a handler that
 * blocks cannot deadlock a thread that cancels). After the first terminal signal, or after {@link #stop()},
 * nothing more is delivered. A handler that throws ends the exchange with what it threw, through its own
 * {@code onError}; an {@link Error} is then rethrown, never swallowed.
 *
 * <p>A signal is queued only for as long as the handler is busy with an earlier one: the queue holds what
 * the network already delivered within the caller's demand, never more.
 */
final class SerialHandler {
    private static final System.Logger LOG = System.getLogger(SerialHandler.class.getName());
    private static final Object COMPLETE = new Object();

    /** Told once, after the exchange ended towards the handler. */
    interface Ending {
        /** @param completed whether the body ended normally (the connection can be reused) */
        void ended(boolean completed);
    }

    private final ResponseHandler handler;
    private final Ending ending;
    private final Queue<Object> signals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile boolean stopped;

    SerialHandler(ResponseHandler handler, Ending ending) {
        this.handler = handler;
        this.ending = ending;
    }

    void response(int status, Map<String, List<String>> headers) {
        offer(new Response(status, headers));
    }

    /** One read: its non-empty buffers reach the handler one {@code onBody} each. */
    void body(List<ByteBuffer> read) {
        offer(read);
    }

    void complete() {
        offer(COMPLETE);
    }

    void error(Throwable error) {
        offer(new Failure(error));
    }

    /** No handler call starts after this returns (one already under way on another thread may finish). */
    void stop() {
        stopped = true;
        signals.clear();
    }

    boolean stopped() {
        return stopped;
    }

    private void offer(Object signal) {
        if (stopped) {
            return;
        }
        signals.offer(signal);
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        try {
            do {
                Object signal;
                while (!stopped && (signal = signals.poll()) != null) {
                    deliver(signal);
                }
                if (stopped) {
                    signals.clear();
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        } catch (Error e) {
            // deliver() ended the exchange before rethrowing; leave no thread believing a drain is under way
            stopped = true;
            signals.clear();
            wip.set(0);
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(Object signal) {
        if (signal == COMPLETE) {
            stopped = true;
            try {
                handler.onComplete();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ResponseHandler.onComplete threw", e);
            } finally {
                ending.ended(true);
            }
        } else if (signal instanceof Failure) {
            stopped = true;
            try {
                handler.onError(((Failure) signal).error);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "ResponseHandler.onError threw", e);
            } finally {
                ending.ended(false);
            }
        } else {
            try {
                if (signal instanceof Response) {
                    Response r = (Response) signal;
                    handler.onResponse(r.status, r.headers);
                } else {
                    for (ByteBuffer chunk : (List<ByteBuffer>) signal) {
                        if (stopped) {
                            return;
                        }
                        if (chunk.hasRemaining()) {
                            handler.onBody(chunk);
                        }
                    }
                }
            } catch (RuntimeException e) {
                // A handler that throws gives up the exchange, as a Flow.Subscriber would: it is told why.
                if (!stopped) {
                    signals.clear();
                    deliver(new Failure(e));
                }
            } catch (Error e) {
                // An OutOfMemoryError while decoding, say: the call fails now with it (not at its idle
                // timeout), the connection closes, and the error still goes on up this thread.
                if (!stopped) {
                    signals.clear();
                    deliver(new Failure(e));
                }
                throw e;
            }
        }
    }

    private static final class Response {
        final int status;
        final Map<String, List<String>> headers;

        Response(int status, Map<String, List<String>> headers) {
            this.status = status;
            this.headers = headers;
        }
    }

    private static final class Failure {
        final Throwable error;

        Failure(Throwable error) {
            this.error = error;
        }
    }
}
