package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.wire.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a call received and when, on a clock the test moves by hand. */
class CallStatsTest {
    private static final long MS = 1_000_000;
    private final long[] clock = {7_000 * MS}; // an arbitrary origin, as System.nanoTime's is
    private final List<long[]> recorded = new ArrayList<>();
    private final Metrics metrics = (model, transport, outcome, firstByte, firstText, duration, bytes, chunks) ->
            recorded.add(new long[] {firstByte, firstText, duration, bytes, chunks});

    private CallStats stats(boolean keepText) {
        return new CallStats("gpt-test", keepText, () -> clock[0]);
    }

    private void advance(long ms) {
        clock[0] += ms * MS;
    }

    @Test
    void timingsAreMeasuredFromTheCallsStart() {
        CallStats stats = stats(true);
        advance(2);
        stats.responseStarted();
        advance(3);
        stats.event(new ChatEvent.TextDelta("a"));
        advance(4);
        stats.event(new ChatEvent.TextDelta("b")); // the first text's moment stays
        stats.ended();
        advance(50); // after the end: the duration stays

        ChatCompletion c = stats.snapshot(true);
        assertThat(c.timeToFirstByte()).contains(Duration.ofMillis(2));
        assertThat(c.timeToFirstText()).contains(Duration.ofMillis(5));
        assertThat(c.duration()).isEqualTo(Duration.ofMillis(9));
        stats.record(metrics, "fake", Metrics.Outcome.SUCCESS);
        assertThat(recorded).containsExactly(new long[] {2 * MS, 5 * MS, 9 * MS, 0, 0});
        assertThat(stats.summary()).isEqualTo("0 bytes in 9 ms");
    }

    @Test
    void momentsAtTheVeryStartAreZeroNotAbsent() {
        clock[0] = 0; // a clock may read zero, or less, at any moment
        CallStats stats = stats(true);
        stats.responseStarted();
        stats.event(new ChatEvent.TextDelta("now"));
        stats.ended();
        advance(3);
        stats.event(new ChatEvent.TextDelta(" and later")); // the first text's moment stays zero

        ChatCompletion c = stats.snapshot(true); // and the duration stays the end's, zero
        assertThat(c.timeToFirstByte()).contains(Duration.ZERO);
        assertThat(c.timeToFirstText()).contains(Duration.ZERO);
        assertThat(c.duration()).isEqualTo(Duration.ZERO);
        stats.record(metrics, "fake", Metrics.Outcome.SUCCESS);
        assertThat(recorded).containsExactly(new long[] {0, 0, 0, 0, 0});
    }

    @Test
    void aNegativeClockReadingIsAMomentLikeAnyOther() {
        clock[0] = -10 * MS;
        CallStats stats = stats(true);
        advance(4);
        stats.responseStarted();
        stats.ended();

        assertThat(stats.snapshot(true).timeToFirstByte()).contains(Duration.ofMillis(4));
    }

    @Test
    void momentsThatNeverCameAreAbsentAndARunningCallsDurationIsSoFar() {
        CallStats stats = stats(true);
        advance(7);

        ChatCompletion running = stats.snapshot(false);
        assertThat(running.timeToFirstByte()).isEmpty();
        assertThat(running.timeToFirstText()).isEmpty();
        assertThat(running.duration()).isEqualTo(Duration.ofMillis(7));
        assertThat(running.finished()).isFalse();

        advance(1);
        stats.ended();
        stats.record(metrics, "fake", Metrics.Outcome.TIMEOUT);
        assertThat(recorded).containsExactly(new long[] {-1, -1, 8 * MS, 0, 0});
    }

    @Test
    void bytesAndReadsAreCounted() {
        CallStats stats = stats(false);
        stats.body(10);
        stats.body(5);
        stats.ended();

        assertThat(stats.bytes()).isEqualTo(15);
        ChatCompletion c = stats.snapshot(true);
        assertThat(c.bytesReceived()).isEqualTo(15);
        assertThat(c.chunksReceived()).isEqualTo(2);
        stats.record(metrics, "fake", Metrics.Outcome.SUCCESS);
        assertThat(recorded.get(0)[3]).isEqualTo(15);
        assertThat(recorded.get(0)[4]).isEqualTo(2);
        assertThat(stats.summary()).startsWith("15 bytes in ");
    }

    @Test
    void theTextIsKeptOnlyWhenAskedAndHeadersInTheirOrder() {
        Header first = Header.parse("{\"n\":1}");
        Header second = Header.parse("{\"n\":2}");
        for (boolean keep : new boolean[] {true, false}) {
            CallStats stats = stats(keep);
            stats.event(new ChatEvent.TextDelta("你好, "));
            stats.event(new ChatEvent.HeaderReceived(first));
            stats.event(new ChatEvent.TextDelta("world"));
            stats.event(new ChatEvent.HeaderReceived(second));

            ChatCompletion c = stats.snapshot(true);
            assertThat(c.text()).isEqualTo(keep ? "你好, world" : "");
            assertThat(c.headers()).containsExactly(first, second);
            assertThat(c.timeToFirstText()).isPresent();
        }
    }

    @Test
    void detailsLeftOutKeepWhatWasSaidBefore() {
        ObjectNode json = new ObjectMapper().createObjectNode().put("id", "x");
        ChatCompletion.Usage usage = new ChatCompletion.Usage(1, 2, 3, json);
        CallStats stats = stats(true);
        stats.details(json, "stop", usage);
        stats.details(null, null, null);

        ChatCompletion c = stats.snapshot(true);
        assertThat(c.raw()).contains(json);
        assertThat(c.finishReason()).contains("stop");
        assertThat(c.usage()).contains(usage);
        assertThat(c.model()).isEqualTo("gpt-test");
    }
}
