package dev.chat852.transport.jdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class UpstreamTest {
    private final Upstream upstream = new Upstream();
    private final Subscription subscription = new Subscription();

    @Test
    void demandRequestedBeforeTheSubscriptionIsPassedOnWhenItArrives() {
        upstream.request(2);
        upstream.request(3);

        upstream.set(subscription);

        assertThat(subscription.calls).containsExactly("request 5");
    }

    @Test
    void demandAddsUpToUnboundedWithoutOverflow() {
        upstream.request(Long.MAX_VALUE);
        upstream.request(Long.MAX_VALUE);

        upstream.set(subscription);

        assertThat(subscription.calls).containsExactly("request " + Long.MAX_VALUE);
    }

    @Test
    void aCancelBeforeTheSubscriptionCancelsItOnArrivalAndAsksForNothing() {
        upstream.request(1);
        upstream.cancel();

        upstream.set(subscription);
        upstream.request(1);
        upstream.cancel();

        assertThat(subscription.calls).containsExactly("cancel");
    }

    @Test
    void aRequestMadeFromInsideRequestIsPassedOnAfterItReturnsNotNested() {
        Subscription reentrant = new Subscription() {
            @Override
            public void request(long n) {
                super.request(n);
                if (calls.size() < 4) {
                    upstream.request(1); // as a handler asking for more from inside onBody
                    calls.add("returned " + n);
                }
            }
        };
        upstream.set(reentrant);

        upstream.request(7);

        assertThat(reentrant.calls).containsExactly("request 7", "returned 7", "request 1", "returned 1",
                "request 1");
    }

    @Test
    void aSecondSubscriptionIsCancelled() {
        upstream.set(subscription);
        Subscription second = new Subscription();

        upstream.set(second);
        upstream.request(1);

        assertThat(second.calls).containsExactly("cancel");
        assertThat(subscription.calls).containsExactly("request 1");
    }

    private static class Subscription implements Flow.Subscription {
        final List<String> calls = new ArrayList<>();

        @Override
        public void request(long n) {
            calls.add("request " + n);
        }

        @Override
        public void cancel() {
            calls.add("cancel");
        }
    }
}
