package dev.chat852.internal;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatEvent;
import dev.chat852.ChatListener;
import java.util.concurrent.Flow;

/** Callbacks, with unbounded demand: back-pressure still holds, as reads follow delivery. */
final class ListenerSubscriber implements Flow.Subscriber<ChatEvent> {
    private final ChatListener listener;

    ListenerSubscriber(ChatListener listener) {
        this.listener = listener;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ChatEvent event) {
        if (event instanceof ChatEvent.TextDelta) {
            listener.onText(((ChatEvent.TextDelta) event).text());
        } else if (event instanceof ChatEvent.HeaderReceived) {
            listener.onHeader(((ChatEvent.HeaderReceived) event).header());
        } else {
            listener.onComplete(((ChatEvent.Completed) event).completion());
        }
    }

    @Override
    public void onError(Throwable error) {
        if (error instanceof Chat852Exception) {
            listener.onError((Chat852Exception) error);
        } // CancellationException: the caller cancelled, and listeners hear nothing more
    }

    @Override
    public void onComplete() {
    }
}
