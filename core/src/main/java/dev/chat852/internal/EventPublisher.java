package dev.chat852.internal;

import dev.chat852.ChatEvent;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A call's events on their way to its one subscriber: a queue, the subscriber's demand, and a drain
 * loop that delivers as much as it asks, then tells the {@link Source} it wants more. Every consumer
 * style (listener, blocking stream, future) is a subscriber of this, so they share these rules.
 *
 * <p>Signals to the subscriber run one at a time, outside any lock, on the callback executor if one is
 * configured, else on the thread that caused them. Once the subscriber has had its terminal signal,
 * cancelled, or thrown, this publisher forgets it (Reactive Streams rule 3.13) and tells it nothing more.
 */
final class EventPublisher {
    private static final System.Logger LOG = System.getLogger("dev.chat852.ChatClient");

    /** The call behind the events. */
    interface Source {
        /** Every queued event was delivered and the subscriber wants more. */
        void more();

        /** The subscriber cancelled, threw, or broke a rule: stop the call. */
        void cancel();
    }

    private final Source source;
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

    /** @param executor where signals run, or {@code null} for the calling thread */
    EventPublisher(Source source, Executor executor) {
        this.source = source;
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
            boolean more = false;
            synchronized (lock) {
                if (subscriber != null && !signalled && queue.isEmpty()) {
                    if (ended) {
                        signalled = true;
                        toSignal = subscriber;
                        subscriber = null;
                        error = failure;
                    } else {
                        more = demand > 0;
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
            if (more) {
                source.more();
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
                source.cancel();
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
                    source.cancel();
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
            source.cancel();
        }
    }
}
