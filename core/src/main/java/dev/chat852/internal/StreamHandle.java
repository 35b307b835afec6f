package dev.chat852.internal;

import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatListener;
import dev.chat852.ChatStream;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link ChatStream} a caller holds: the consumer styles, each an adapter onto the call's one
 * {@link Flow.Subscriber} place ({@link ListenerSubscriber}, {@link BlockingEvents},
 * {@link DrainingSubscriber}), so demand, ordering and cancellation work the same for all of them.
 *
 * <p>The call itself stays reachable while it runs (the client and the transport refer to it), so this
 * handle is what can become garbage: if it does before anyone consumed or closed the call, the call is
 * cancelled, so a stream dropped unread does not keep its connection open until the client closes. Each consuming method keeps the handle reachable until its
 * consumer is attached, so a call being consumed is never cancelled this way.
 */
public final class StreamHandle implements ChatStream {
    private static final Cleaner CLEANER = Cleaner.create(task -> {
        Thread t = new Thread(task, "chat852-abandoned-streams");
        t.setDaemon(true);
        return t;
    });

    private final StreamCall call;

    private StreamHandle(StreamCall call) {
        this.call = call;
    }

    /** A handle on {@code call} that cancels it if dropped unconsumed. */
    public static ChatStream of(StreamCall call) {
        StreamHandle handle = new StreamHandle(call);
        call.watchedBy(CLEANER.register(handle, call::abandoned)); // refers to the call only, never to the handle
        return handle;
    }

    @Override
    public void listen(ChatListener listener) {
        try {
            checkNotConsumed();
            call.events().subscribe(new ListenerSubscriber(listener));
        } finally {
            Reference.reachabilityFence(this); // not collected before the consumer is attached
        }
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ChatEvent> subscriber) {
        try {
            call.events().subscribe(subscriber);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Stream<ChatEvent> events() {
        try {
            checkNotConsumed();
            BlockingEvents iterator = new BlockingEvents();
            call.events().subscribe(iterator);
            Spliterator<ChatEvent> spliterator = Spliterators.spliteratorUnknownSize(iterator,
                    Spliterator.ORDERED | Spliterator.NONNULL);
            return StreamSupport.stream(spliterator, false).onClose(this::close);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public Stream<String> text() {
        return events().filter(e -> e instanceof ChatEvent.TextDelta).map(e -> ((ChatEvent.TextDelta) e).text());
    }

    @Override
    public CompletableFuture<ChatCompletion> completion() {
        try {
            return call.completion();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    private void checkNotConsumed() {
        if (call.events().reserved()) {
            throw EventPublisher.alreadyConsumed();
        }
    }

    @Override
    public ChatCompletion received() {
        return call.received();
    }

    @Override
    public void cancel() {
        call.cancel();
    }

    @Override
    public void close() {
        call.cancel();
    }

    @Override
    public String toString() {
        return call.toString();
    }
}
