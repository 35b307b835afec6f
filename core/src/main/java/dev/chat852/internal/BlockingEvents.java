package dev.chat852.internal;

import dev.chat852.ChatEvent;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/** The blocking iterator behind {@code ChatStream.events()}: asks for one event ahead of the caller. */
final class BlockingEvents implements Flow.Subscriber<ChatEvent>, Iterator<ChatEvent> {
    private static final Object END = new Object();
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private volatile Flow.Subscription subscription;
    private Object next;
    private boolean finished;

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(ChatEvent event) {
        arrived.add(event);
    }

    @Override
    public void onError(Throwable error) {
        arrived.add(error);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    @Override
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        if (finished) {
            return false;
        }
        Object o;
        try {
            o = arrived.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            subscription.cancel();
            throw new CancellationException("interrupted while waiting for the answer");
        }
        if (o == END) {
            finished = true;
            return false;
        }
        if (o instanceof Throwable) {
            finished = true;
            throw CallerFrames.of((Throwable) o); // with the reader's frames, the I/O thread's failure as cause
        }
        next = o;
        subscription.request(1);
        return true;
    }

    @Override
    public ChatEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ChatEvent e = (ChatEvent) next;
        next = null;
        return e;
    }
}
