package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallTimersTest {
    private final ManualScheduler clock = new ManualScheduler();
    private final List<ChatTimeoutException> expired = new ArrayList<>();
    private final CallTimers timers = new CallTimers(clock.executor(), clock::nanoTime, Duration.ofSeconds(10), Duration.ofSeconds(3),
            expired::add);

    private List<ChatTimeoutException.Kind> kinds() {
        return expired.stream().map(ChatTimeoutException::kind).collect(java.util.stream.Collectors.toList());
    }

    @Test
    void theFirstByteDeadlineFiresOnceUnlessTheResponseBegins() {
        timers.attemptStarted();
        clock.advance(Duration.ofSeconds(10));
        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.FIRST_BYTE);

        CallTimers answered = new CallTimers(clock.executor(), clock::nanoTime, Duration.ofSeconds(10), Duration.ZERO, expired::add);
        answered.attemptStarted();
        clock.advance(Duration.ofSeconds(9));
        answered.responseStarted();
        clock.advance(Duration.ofMinutes(1));
        assertThat(expired).hasSize(1);
    }

    @Test
    void aNewAttemptReplacesTheEarlierAttemptsDeadline() {
        timers.attemptStarted();
        clock.advance(Duration.ofSeconds(6));
        timers.attemptStarted();
        clock.advance(Duration.ofSeconds(9));
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofSeconds(1));

        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.FIRST_BYTE);
    }

    @Test
    void aNewAttemptCancelsTheEarlierAttemptsTimerInsteadOfLeavingItToFireInVain() {
        timers.attemptStarted();
        clock.advance(Duration.ofSeconds(6));
        timers.attemptStarted();

        assertThat(clock.pending()).containsExactly(Duration.ofSeconds(10));
    }

    @Test
    void theIdleDeadlineIsRearmedForWhatIsLeftOfThePeriodAfterTheLastPiece() {
        timers.readRequested(); // idle is 3 s: the check is due at 3 s
        clock.advance(Duration.ofSeconds(2));
        timers.bodyArrived(true); // a whole body: still waiting, from 2 s on
        clock.advance(Duration.ofSeconds(1)); // the check at 3 s finds 1 s waited: due again at 5 s

        assertThat(clock.pending()).containsExactly(Duration.ofSeconds(2));
        clock.advance(Duration.ofMillis(1999));
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.IDLE);
    }

    @Test
    void askingAgainWhileWaitingDoesNotRestartTheIdleClock() {
        timers.readRequested(); // at 0 on the clock
        clock.advance(Duration.ofSeconds(2));
        timers.readRequested();
        clock.advance(Duration.ofSeconds(1));

        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.IDLE);
    }

    @Test
    void aClockThatReadsNegativeTimesIdleWaitsLikeAnyOther() {
        CallTimers early = new CallTimers(clock.executor(), () -> clock.nanoTime() - Duration.ofHours(1).toNanos(),
                Duration.ZERO, Duration.ofSeconds(3), expired::add); // System.nanoTime() may be negative
        early.readRequested();
        clock.advance(Duration.ofSeconds(3));

        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.IDLE);
    }

    @Test
    void idleTimeCountsOnlyWhileAReadIsOutstanding() {
        timers.readRequested();
        clock.advance(Duration.ofSeconds(2));
        timers.bodyArrived(false); // the read was answered: the consumer's own pause does not count
        clock.advance(Duration.ofMinutes(5));
        assertThat(expired).isEmpty();

        timers.readRequested();
        clock.advance(Duration.ofMillis(2999));
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.IDLE);
    }

    @Test
    void aWholeBodyRestartsTheIdleClockWithEachPiece() {
        timers.readRequested();
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(2));
            timers.bodyArrived(true);
        }
        assertThat(expired).isEmpty();
        clock.advance(Duration.ofSeconds(3));

        assertThat(kinds()).containsExactly(ChatTimeoutException.Kind.IDLE);
    }

    @Test
    void aBusyStreamKeepsOneTimerPerPeriodNotOnePerRead() {
        timers.readRequested();
        for (int i = 0; i < 100; i++) {
            timers.bodyArrived(false);
            timers.readRequested();
        }

        assertThat(clock.pending()).hasSize(1);
    }

    @Test
    void stoppedTimersNeverFireAndCannotBeRearmed() {
        timers.attemptStarted();
        timers.readRequested();
        timers.stop();
        timers.attemptStarted();
        timers.readRequested();
        clock.advance(Duration.ofMinutes(5));

        assertThat(expired).isEmpty();
        assertThat(clock.pending()).isEmpty();
    }

    @Test
    void zeroTurnsATimeoutOff() {
        CallTimers off = new CallTimers(clock.executor(), clock::nanoTime, Duration.ZERO, Duration.ZERO, expired::add);
        off.attemptStarted();
        off.readRequested();

        assertThat(clock.pending()).isEmpty();
    }
}
