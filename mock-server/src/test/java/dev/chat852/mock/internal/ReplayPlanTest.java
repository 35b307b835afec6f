package dev.chat852.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.RecordedResponse;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {
    private static final long MS = 1_000_000L;

    /** "hello" at 0 ms, " 世界" at 100 ms (7 bytes), "!" at 150 ms. */
    private static final RecordedResponse HELLO = RecordedResponse.builder()
            .headersDelayMs(200)
            .chunk(0, "hello")
            .chunk(100, " 世界")
            .chunk(50, "!")
            .build();

    private static ReplayPlan plan(RecordedResponse r, double speed, Rechunk rechunk, Fault... faults) {
        return ReplayPlan.of(r, MockResponse.Framing.CHUNKED, speed, rechunk, List.of(faults));
    }

    private static List<String> segments(ReplayPlan plan) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < plan.segmentCount(); i++) {
            out.add(new String(plan.body(), plan.offset(i), plan.length(i), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    private static byte[] sent(ReplayPlan plan) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < plan.segmentCount(); i++) {
            out.write(plan.body(), plan.offset(i), plan.length(i));
        }
        return out.toByteArray();
    }

    /** When each segment goes out, in ms after the headers. */
    private static List<Long> sendTimes(ReplayPlan plan) {
        List<Long> times = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < plan.segmentCount(); i++) {
            t += plan.delayNanos(i);
            times.add(t / MS);
        }
        return times;
    }

    @Test
    void asRecordedKeepsBoundariesAndGaps() {
        ReplayPlan plan = plan(HELLO, 1, Rechunk.asRecorded());

        assertThat(segments(plan)).containsExactly("hello", " 世界", "!");
        assertThat(sendTimes(plan)).containsExactly(0L, 100L, 150L);
        assertThat(plan.headersDelayNanos()).isEqualTo(200 * MS);
        assertThat(plan.ending()).isEqualTo(ReplayPlan.Ending.COMPLETE);
        assertThat(plan.endDelayNanos()).isZero();
    }

    @Test
    void speedScalesEveryRecordedDelay() {
        ReplayPlan twice = plan(HELLO, 2, Rechunk.asRecorded());
        ReplayPlan none = plan(HELLO, 0, Rechunk.asRecorded());

        assertThat(sendTimes(twice)).containsExactly(0L, 50L, 75L);
        assertThat(twice.headersDelayNanos()).isEqualTo(100 * MS);
        assertThat(sendTimes(none)).containsExactly(0L, 0L, 0L);
        assertThat(none.headersDelayNanos()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "2", "3", "5", "64", "bytes", "random:1", "random:2:3", "random:99:1"})
    void rechunkingSendsExactlyTheRecordedBytesNeverEarly(String spec) {
        ReplayPlan plan = plan(HELLO, 1, Rechunk.parse(spec));

        assertThat(sent(plan)).isEqualTo(HELLO.body());
        // Byte i may go out no earlier than its recorded chunk arrived.
        long[] recordedAt = {0, 0, 0, 0, 0, 100, 100, 100, 100, 100, 100, 100, 150};
        List<Long> times = sendTimes(plan);
        for (int s = 0; s < plan.segmentCount(); s++) {
            for (int b = plan.offset(s); b < plan.offset(s) + plan.length(s); b++) {
                assertThat(times.get(s)).as("byte %d in segment %d", b, s).isGreaterThanOrEqualTo(recordedAt[b]);
            }
        }
        // ... and the whole answer ends when the recording did.
        assertThat(times.get(times.size() - 1) + plan.endDelayNanos() / MS).isEqualTo(150L);
    }

    @Test
    void fixedSizeCutsAcrossRecordedBoundaries() {
        assertThat(plan(HELLO, 1, Rechunk.fixed(4)).segmentCount()).isEqualTo(4);
        assertThat(plan(HELLO, 1, Rechunk.bytes()).segmentCount()).isEqualTo(13);
    }

    @Test
    void seededRandomCutsAreReproducible() {
        ReplayPlan a = plan(HELLO, 1, Rechunk.random(7, 3));
        ReplayPlan b = plan(HELLO, 1, Rechunk.random(7, 3));

        assertThat(segments(a)).isEqualTo(segments(b));
    }

    @Test
    void stallSplitsAtItsOffsetAndDelaysEverythingAfter() {
        ReplayPlan plan = plan(HELLO, 1, Rechunk.asRecorded(), Fault.stall(2, 1_000));

        assertThat(segments(plan)).containsExactly("he", "llo", " 世界", "!");
        assertThat(sendTimes(plan)).containsExactly(0L, 1_000L, 1_100L, 1_150L);
    }

    @Test
    void resetAndTruncateStopAtTheirOffset() {
        ReplayPlan reset = plan(HELLO, 1, Rechunk.asRecorded(), Fault.reset(7));
        ReplayPlan truncate = plan(HELLO, 1, Rechunk.asRecorded(), Fault.truncate(0));

        assertThat(segments(reset)).containsExactly("hello", " \ufffd");
        assertThat(reset.bytesSent()).isEqualTo(7);
        assertThat(reset.ending()).isEqualTo(ReplayPlan.Ending.RESET);
        assertThat(truncate.segmentCount()).isZero();
        assertThat(truncate.ending()).isEqualTo(ReplayPlan.Ending.TRUNCATE);
    }

    @Test
    void aStallAtTheSameOffsetAsAResetHappensFirst() {
        ReplayPlan plan = plan(HELLO, 1, Rechunk.asRecorded(), Fault.reset(5), Fault.stall(5, 300));

        assertThat(segments(plan)).containsExactly("hello");
        assertThat(plan.endDelayNanos()).isEqualTo(300 * MS);
    }

    @Test
    void oneChunkCutByMoreStallsThanThereAreChunksIsASegmentPerPiece() {
        RecordedResponse one = RecordedResponse.builder().chunk(0, "hello").build();

        ReplayPlan plan = plan(one, 1, Rechunk.asRecorded(), Fault.stall(1, 10), Fault.stall(2, 10), Fault.stall(3, 10));

        assertThat(segments(plan)).containsExactly("h", "e", "l", "lo");
        assertThat(sendTimes(plan)).containsExactly(0L, 10L, 20L, 30L);
        assertThat(segments(plan(one, 1, Rechunk.asRecorded(), Fault.stall(2, 10)))).containsExactly("he", "llo");
    }

    @Test
    void theEarliestEndFaultWinsAndAtTheSameByteTheFirstListed() {
        assertThat(plan(HELLO, 1, Rechunk.asRecorded(), Fault.truncate(6), Fault.reset(5)).ending())
                .isEqualTo(ReplayPlan.Ending.RESET);
        assertThat(plan(HELLO, 1, Rechunk.asRecorded(), Fault.reset(5), Fault.truncate(5)).ending())
                .isEqualTo(ReplayPlan.Ending.RESET);
        assertThat(plan(HELLO, 1, Rechunk.asRecorded(), Fault.truncate(5), Fault.reset(5)).ending())
                .isEqualTo(ReplayPlan.Ending.TRUNCATE);
    }

    @Test
    void statusFaultReplacesTheRecordingWithAContentLengthBody() {
        ReplayPlan plan = plan(HELLO, 1, Rechunk.asRecorded(), Fault.status(502), Fault.delay(30));

        assertThat(plan.status()).isEqualTo(502);
        assertThat(plan.chunked()).isFalse();
        assertThat(new String(sent(plan), java.nio.charset.StandardCharsets.UTF_8)).contains("\"code\":502");
        assertThat(plan.headersDelayNanos()).isEqualTo(30 * MS);
    }

    @Test
    void emptyChunksPassTheirDelayOnToTheNextBytes() {
        RecordedResponse r = RecordedResponse.builder()
                .chunk(0, "a").chunk(100, new byte[0]).chunk(20, "b").chunk(30, new byte[0]).build();

        ReplayPlan plan = plan(r, 1, Rechunk.asRecorded());

        assertThat(segments(plan)).containsExactly("a", "b");
        assertThat(sendTimes(plan)).containsExactly(0L, 120L);
        assertThat(plan.endDelayNanos()).isEqualTo(30 * MS);
    }

    @Test
    void replaysRecordedHeadersButNotFramingOrCors() {
        RecordedResponse r = RecordedResponse.builder()
                .header("Content-Type", "text/plain")
                .header("Content-Length", "99")
                .header("Transfer-Encoding", "chunked")
                .header("Access-Control-Allow-Origin", "https://example.org")
                .header("X-Request-Id", "abc")
                .build();

        assertThat(plan(r, 1, Rechunk.asRecorded()).headers())
                .containsExactly(Map.entry("Content-Type", "text/plain"), Map.entry("X-Request-Id", "abc"));
        assertThat(plan(RecordedResponse.builder().build(), 1, Rechunk.asRecorded()).headers())
                .containsExactly(Map.entry("Content-Type", RecordedResponse.DEFAULT_CONTENT_TYPE));
    }

    @Test
    void rejectsNegativeOrNonFiniteSpeed() {
        assertThatThrownBy(() -> plan(HELLO, -1, Rechunk.asRecorded())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> plan(HELLO, Double.NaN, Rechunk.asRecorded())).isInstanceOf(IllegalArgumentException.class);
    }

    /** Failure 8: a wait too long for nanoseconds saturates at the longest one instead of wrapping to none. */
    @Test
    void waitsTooLongForNanosecondsSaturateInsteadOfWrappingRoundToNoWait() {
        RecordedResponse slow = RecordedResponse.builder().headersDelayMs(RecordedResponse.MAX_DELAY_MS)
                .chunk(RecordedResponse.MAX_DELAY_MS, "a").chunk(RecordedResponse.MAX_DELAY_MS, "b").build();
        ReplayPlan plan = plan(slow, 1e-15, Rechunk.asRecorded(),
                Fault.delay(RecordedResponse.MAX_DELAY_MS), Fault.stall(1, RecordedResponse.MAX_DELAY_MS));

        assertThat(plan.headersDelayNanos()).isEqualTo(Long.MAX_VALUE);
        assertThat(plan.delayNanos(0)).isEqualTo(Long.MAX_VALUE);
        assertThat(plan.delayNanos(1)).as("already waiting for ever: the stall alone")
                .isEqualTo(RecordedResponse.MAX_DELAY_MS * MS);
        assertThat(ReplayPlan.plus(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(ReplayPlan.plus(2, 3)).isEqualTo(5);
    }

    @Test
    void theLongestFaultsAddUpToTheirSumInNanoseconds() {
        long day = RecordedResponse.MAX_DELAY_MS;
        ReplayPlan plan = plan(HELLO, 1, Rechunk.asRecorded(), Fault.delay(day), Fault.delay(day),
                Fault.stall(0, day), Fault.stall(0, day));

        assertThat(plan.headersDelayNanos()).isEqualTo((200 + 2 * day) * MS);
        assertThat(plan.delayNanos(0)).isEqualTo(2 * day * MS);
    }
}
