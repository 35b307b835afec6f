package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientTimerTest {
    private static final Duration TICK = Duration.ofSeconds(1);
    private final ManualScheduler clock = new ManualScheduler();
    private final ClientTimer timer = new ClientTimer(clock.executor(), TICK);

    @Test
    void whileCallsStartADeadlineFurtherOffThanATickQueuesBehindTheTick() {
        timer.callStarted();
        timer.executor().schedule(() -> { }, 60, TimeUnit.SECONDS); // a call's first-byte deadline

        // The earliest task is the tick, so queueing the deadline needs no wake-up of the timer's thread.
        assertThat(clock.pending()).containsExactlyInAnyOrder(TICK, Duration.ofSeconds(60));
    }

    @Test
    void theTickGoesOnWhileCallsStartAndStopsAfterATickInWhichNoneDid() {
        timer.callStarted();
        clock.advance(TICK); // a call started in this tick: the next one is due
        assertThat(clock.pending()).containsExactly(TICK);
        timer.callStarted();
        timer.callStarted();
        clock.advance(TICK);
        assertThat(clock.pending()).containsExactly(TICK);

        clock.advance(TICK); // no call in that tick: an idle client's thread sleeps

        assertThat(clock.pending()).isEmpty();
    }

    @Test
    void aCallAfterTheTickStoppedStartsItAgainAndOnlyOneTickRunsAtATime() {
        timer.callStarted();
        clock.advance(TICK.multipliedBy(3));
        assertThat(clock.pending()).isEmpty();

        timer.callStarted();
        timer.callStarted();

        assertThat(clock.pending()).containsExactly(TICK);
    }

    @Test
    void aCallStartedAfterTheClientClosedFindsTheTickRefusedQuietly() {
        timer.shutdown();

        assertThatCode(timer::callStarted).doesNotThrowAnyException();
        assertThatCode(timer::callStarted).doesNotThrowAnyException();
        assertThat(clock.pending()).isEmpty();
    }

    @Test
    void aCancelledDeadlineLeavesTheRealTimersQueueAtOnceSoItHoldsNoCall() {
        ClientTimer real = ClientTimer.newThread();
        try {
            ScheduledFuture<?> deadline = real.executor().schedule(() -> { }, 60, TimeUnit.SECONDS);

            deadline.cancel(false); // a call ended: its deadline must not keep it reachable for a minute

            assertThat(((ScheduledThreadPoolExecutor) real.executor()).getQueue()).isEmpty();
        } finally {
            real.shutdown();
        }
    }

    @Test
    void theRealTimerRunsOnADaemonThreadNamedForTheClient() throws Exception {
        ClientTimer real = ClientTimer.newThread();
        try {
            Thread t = real.executor().schedule(Thread::currentThread, 0, TimeUnit.NANOSECONDS).get(10, TimeUnit.SECONDS);

            assertThat(t.getName()).isEqualTo("chat852-timeouts");
            assertThat(t.isDaemon()).isTrue();
        } finally {
            real.shutdown();
        }
        assertThat(real.executor().isShutdown()).isTrue();
    }
}
