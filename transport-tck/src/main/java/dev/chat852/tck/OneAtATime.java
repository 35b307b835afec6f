package dev.chat852.tck;

import dev.chat852.ChatEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Requests one event at a time, from another thread a moment later, and checks demand is never exceeded. */
final class OneAtATime implements Flow.Subscriber<ChatEvent> {
    final AtomicLong requested = new AtomicLong();
    final AtomicLong received = new AtomicLong();
    final List<ChatEvent> events = Collections.synchronizedList(new ArrayList<>());
    final List<String> violations = Collections.synchronizedList(new ArrayList<>());
    final CompletableFuture<Void> done = new CompletableFuture<>();
    private final ScheduledExecutorService requester;
    private volatile Flow.Subscription subscription;

    OneAtATime(ScheduledExecutorService requester) {
        this.requester = requester;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (subscription != null) {
            violations.add("onSubscribe called twice");
        }
        subscription = s;
        requestOne();
    }

    private void requestOne() {
        requested.incrementAndGet();
        subscription.request(1);
    }

    @Override
    public void onNext(ChatEvent event) {
        long n = received.incrementAndGet();
        if (n > requested.get()) {
            violations.add("onNext #" + n + " with only " + requested.get() + " requested: " + event);
        }
        if (done.isDone()) {
            violations.add("onNext after the end: " + event);
        }
        events.add(event);
        requester.schedule(this::requestOne, 2, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onError(Throwable error) {
        done.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        if (!done.complete(null)) {
            violations.add("terminal signal twice");
        }
    }
}
