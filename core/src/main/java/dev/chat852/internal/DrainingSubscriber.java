package dev.chat852.internal;

import dev.chat852.ChatEvent;
import java.util.concurrent.Flow;

/** Reads everything and ignores it: for {@code ChatStream.completion()} with no other consumer. */
final class DrainingSubscriber implements Flow.Subscriber<ChatEvent> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ChatEvent event) {
    }

    @Override
    public void onError(Throwable error) {
    }

    @Override
    public void onComplete() {
    }
}
