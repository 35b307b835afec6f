package dev.chat852.internal;

import dev.chat852.ChatEvent;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call's events on their way to its one subscriber: a queue, the subscriber's demand, and a drain
 * loop that delivers as much as it asks, then tells the call it wants more. Every consumer
 * style (listener, blocking stream, future) is a subscriber of this, so they share these rules.
 *
 * <p>Signals to the subscriber run one at a time, outside any lock, on the callback executor if one is
 * configured, else on the thread that caused them. Once the subscriber has had its terminal signal,
 * cancelled, or thrown, this publisher forgets it (Reactive Streams rule 3.13) and tells it nothing more.
 */
final class EventPublisher {
    private static final System.Logger LOG = System.getLogger("dev.chat852.ChatClient");

    /** Run when every queued event was delivered and the subscriber wants more. */
    private final Runnable more;
    /** Run when the subscriber cancelled, threw, or broke a rule: the call must stop. */
    private final Runnable cancel;
    private final Executor executor;
    private final AtomicInteger wip = new AtomicInteger();
    /** Set before the call's cancel() returns and read just before each onNext, so none starts after it. */
    private volatile boolean cancelled;

    private final Object lock = new Object();
    // -- guarded by lock
    private final ArrayDeque<ChatEvent> queue = new ArrayDeque<>();
    private boolean reserved;
    private Flow.Subscriber<? super ChatEvent> subscriber;
    private long demand;
    /** The subscriber is finished with: terminal signal sent, cancelled, or it threw. */
    private boolean signalled;
    private boolean ended;
    private Throwable failure;

    /**
     * @param more asks the call for the next events (runs on the draining thread, outside any lock)
     * @param cancel stops the call
     * @param executor where signals run, or {@code null} for the calling thread
     */
    EventPublisher(Runnable more, Runnable cancel, Executor executor) {
        this.more = more;
        this.cancel = cancel;
        this.executor = executor;
    }

    /** Claims the one consumer place; false if it is taken. */
    boolean reserve() {
        synchronized (lock) {
            if (reserved) {
                return false;
            }
            reserved = true;
            return true;
        }
    }

    boolean reserved() {
        synchronized (lock) {
            return reserved;
        }
    }

    /** Attaches the subscriber; a second one gets {@code onError} with an {@link IllegalStateException}. */
    void subscribe(Flow.Subscriber<? super ChatEvent> s) {
        Objects.requireNonNull(s, "subscriber"); // rule 1.9, before the consumer place is taken
        if (!reserve()) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(alreadyConsumed());
            return;
        }
        s.onSubscribe(new Subscription(s));
        synchronized (lock) {
            if (!signalled) {
                subscriber = s;
            }
        }
        drain();
    }

    static IllegalStateException alreadyConsumed() {
        return new IllegalStateException("this ChatStream already has a consumer: a stream can be consumed once");
    }

    /** Queues an event; the caller drains once it holds no lock. */
    void offer(ChatEvent event) {
        synchronized (lock) {
            queue.add(event);
        }
    }

    /** The call ended: after what is queued, the subscriber gets {@code onComplete}, or {@code onError} with {@code error}. */
    void end(Throwable error) {
        synchronized (lock) {
            ended = true;
            failure = error;
            if (error instanceof CancellationException) {
                queue.clear(); // cancelled: nothing more is delivered
            }
        }
    }

    /** The call was cancelled: no onNext starts after this returns. */
    void cancelled() {
        cancelled = true;
    }

    void drain() {
        if (wip.getAndIncrement() != 0) {
            return; // the thread already draining will see the new work
        }
        if (executor == null) {
            drainLoop();
            return;
        }
        try {
            executor.execute(this::drainLoop);
        } catch (RejectedExecutionException e) {
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        while (true) {
            deliverEvents();
            Flow.Subscriber<? super ChatEvent> toSignal = null;
            Throwable error = null;
            boolean wantsMore = false;
            synchronized (lock) {
                if (subscriber != null && !signalled && queue.isEmpty()) {
                    if (ended) {
                        signalled = true;
                        toSignal = subscriber;
                        subscriber = null;
                        error = failure;
                    } else {
                        wantsMore = demand > 0;
                    }
                }
            }
            if (toSignal != null) {
                if (error == null) {
                    toSignal.onComplete();
                } else {
                    toSignal.onError(error);
                }
            }
            if (wantsMore) {
                more.run();
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void deliverEvents() {
        while (true) {
            Flow.Subscriber<? super ChatEvent> s;
            ChatEvent event;
            synchronized (lock) {
                s = subscriber;
                if (s == null || signalled || demand == 0 || queue.isEmpty()) {
                    return;
                }
                event = queue.poll();
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
            }
            if (cancelled) {
                return;
            }
            try {
                s.onNext(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a chat stream consumer threw; cancelling the call", e);
                forget(); // a consumer that threw gets no further signals
                cancel.run();
                return;
            }
        }
    }

    /** Drops the subscriber for good; returns false if it was already dropped. */
    private boolean forget() {
        synchronized (lock) {
            boolean live = !signalled;
            signalled = true;
            subscriber = null;
            return live;
        }
    }

    /** Referred to by its subscriber only: the publisher keeps neither, so a cancelled pair can be collected. */
    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ChatEvent> s;

        Subscription(Flow.Subscriber<? super ChatEvent> s) {
            this.s = s;
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                if (forget()) {
                    cancel.run();
                    s.onError(new IllegalArgumentException("Flow rule 3.9: request(n) needs n > 0, was " + n));
                }
                return;
            }
            synchronized (lock) {
                long sum = demand + n;
                demand = sum < 0 ? Long.MAX_VALUE : sum;
            }
            drain();
        }

        @Override
        public void cancel() {
            forget(); // a subscriber that cancelled gets nothing more
            cancel.run();
        }
    }
}
