package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.ChatEvent;
import dev.chat852.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class EventPublisherTest {
    private int more;
    private int cancels;
    private final EventPublisher publisher = new EventPublisher(() -> more++, () -> cancels++, null);

    /** Records signals as lines; requests nothing by itself. */
    private static class Recorder implements Flow.Subscriber<ChatEvent> {
        final List<String> signals = new ArrayList<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            signals.add("subscribe");
        }

        @Override
        public void onNext(ChatEvent event) {
            signals.add(event instanceof ChatEvent.TextDelta ? ((ChatEvent.TextDelta) event).text() : "event");
        }

        @Override
        public void onError(Throwable error) {
            signals.add("error " + error.getClass().getSimpleName());
        }

        @Override
        public void onComplete() {
            signals.add("complete");
        }
    }

    private void offer(String... texts) {
        for (String t : texts) {
            publisher.offer(new ChatEvent.TextDelta(t));
        }
        publisher.drain();
    }

    @Test
    void eventsGoOutOnlyAsDemandedAndMoreIsAskedForOnlyWhenAllWereDelivered() {
        Recorder r = new Recorder();
        publisher.subscribe(r);
        offer("a", "b", "c");
        assertThat(r.signals).containsExactly("subscribe");
        assertThat(more).isZero();

        r.subscription.request(2);
        assertThat(r.signals).containsExactly("subscribe", "a", "b");
        assertThat(more).as("one event still queued").isZero();
        r.subscription.request(1);
        assertThat(r.signals).containsExactly("subscribe", "a", "b", "c");
        assertThat(more).as("the demand was used up").isZero();
        r.subscription.request(1);

        assertThat(more).isEqualTo(1);
    }

    @Test
    void theEndComesAfterTheQueuedEventsAndTheSubscriberIsThenForgotten() {
        Recorder r = new Recorder();
        publisher.subscribe(r);
        offer("a");
        publisher.end(new TransportException("reset", null));
        publisher.drain();
        r.subscription.request(Long.MAX_VALUE);
        r.subscription.request(Long.MAX_VALUE);

        assertThat(r.signals).containsExactly("subscribe", "a", "error TransportException");
    }

    @Test
    void aCancelledCallDeliversNothingMoreEvenIfEventsWereQueued() {
        Recorder r = new Recorder();
        publisher.subscribe(r);
        offer("a", "b");
        publisher.cancelled();
        publisher.end(new CancellationException("cancelled"));
        r.subscription.request(5);

        assertThat(r.signals).containsExactly("subscribe", "error CancellationException");
    }

    @Test
    void requestingZeroIsRule309AndStopsTheCall() {
        Recorder r = new Recorder();
        publisher.subscribe(r);
        r.subscription.request(0);
        assertThat(r.signals).as("zero alone breaks the rule").containsExactly("subscribe", "error IllegalArgumentException");
        r.subscription.request(-1);
        offer("a");
        r.subscription.request(1);

        assertThat(r.signals).containsExactly("subscribe", "error IllegalArgumentException");
        assertThat(cancels).isEqualTo(1);
    }

    @Test
    void aSubscriberThatCancelsGetsNothingMore() {
        Recorder r = new Recorder();
        publisher.subscribe(r);
        r.subscription.cancel();
        offer("a");
        publisher.end(null);
        publisher.drain();

        assertThat(r.signals).containsExactly("subscribe");
        assertThat(cancels).isEqualTo(1);
    }

    @Test
    void aSubscriberThatThrowsIsCancelledAndHearsNothingMore() {
        List<String> seen = new ArrayList<>();
        publisher.subscribe(new Recorder() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ChatEvent event) {
                seen.add("next");
                throw new IllegalStateException("consumer bug");
            }

            @Override
            public void onError(Throwable error) {
                seen.add("error");
            }
        });
        offer("a", "b");
        publisher.end(null);
        publisher.drain();

        assertThat(seen).containsExactly("next");
        assertThat(cancels).isEqualTo(1);
    }

    @Test
    void theStreamHasOneConsumerAndANullOneDoesNotTakeThePlace() {
        assertThatThrownBy(() -> publisher.subscribe(null)).isInstanceOf(NullPointerException.class);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        publisher.subscribe(first);
        publisher.subscribe(second);

        assertThat(first.signals).containsExactly("subscribe");
        assertThat(second.signals).containsExactly("subscribe", "error IllegalStateException");
    }

    @Test
    void aRequestFromInsideOnNextDoesNotRecurse() {
        int[] depth = {0, 0};
        publisher.subscribe(new Recorder() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(ChatEvent event) {
                depth[0]++;
                depth[1] = Math.max(depth[1], depth[0]);
                subscription.request(1);
                depth[0]--;
            }
        });
        offer("a", "b", "c", "d");

        assertThat(depth[1]).isEqualTo(1);
    }
}
