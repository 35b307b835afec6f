package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-12-04T20:00:00Z");


    @Test
    void theBackoffDoublesPerRetryUpToThirtySeconds() {
        Duration initial = Duration.ofMillis(500);
        assertThat(new RetryPolicy(0, initial, RetryPolicy.NO_JITTER).backoffNanos(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(new RetryPolicy(0, initial, RetryPolicy.NO_JITTER).backoffNanos(2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(new RetryPolicy(0, initial, RetryPolicy.NO_JITTER).backoffNanos(4)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4000));
        assertThat(new RetryPolicy(0, initial, RetryPolicy.NO_JITTER).backoffNanos(1000)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
        assertThat(new RetryPolicy(0, Duration.ZERO, RetryPolicy.NO_JITTER).backoffNanos(5)).isZero();
        assertThat(new RetryPolicy(0, Duration.ofDays(365_000), RetryPolicy.NO_JITTER).backoffNanos(1)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void retryAfterIsReadInSecondsAndCappedAndAnythingElseIsIgnored() {
        assertThat(RetryPolicy.retryAfterNanos(List.of("2"), NOW)).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(RetryPolicy.retryAfterNanos(List.of(" 7 "), NOW)).isEqualTo(TimeUnit.SECONDS.toNanos(7));
        assertThat(RetryPolicy.retryAfterNanos(List.of("86400"), NOW)).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(RetryPolicy.retryAfterNanos(List.of(String.valueOf(Long.MAX_VALUE)), NOW)).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(RetryPolicy.retryAfterNanos(List.of("Wed, 21 Oct 2026 07:28:00 GMT"), NOW)).isZero();
        assertThat(RetryPolicy.retryAfterNanos(List.of("-3"), NOW)).isZero();
        assertThat(RetryPolicy.retryAfterNanos(List.of(), NOW)).isZero();
        assertThat(RetryPolicy.retryAfterNanos(null, NOW)).isZero();
    }

    @Test
    void retryAfterAsAnHttpDateIsCountedFromNowAndCapped() {
        assertThat(RetryPolicy.retryAfterNanos(List.of("Fri, 04 Dec 2026 20:00:05 GMT"), NOW))
                .isEqualTo(TimeUnit.SECONDS.toNanos(5));
        assertThat(RetryPolicy.retryAfterNanos(List.of("Sat, 05 Dec 2026 20:00:00 GMT"), NOW))
                .isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(RetryPolicy.retryAfterNanos(List.of("Fri, 04 Dec 2026 19:59:59 GMT"), NOW)).isZero();
        assertThat(RetryPolicy.retryAfterNanos(List.of("Sun, 04 Dec 1842 20:00:00 GMT"), NOW)).isZero();
    }

    @Test
    void pausesAreSpreadBetweenHalfAndAllOfTheBackoff() {
        Duration second = Duration.ofSeconds(1);
        assertThat(new RetryPolicy(3, second, () -> 0.0).delayNanos(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(new RetryPolicy(3, second, () -> 0.5).delayNanos(2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1500));
        assertThat(new RetryPolicy(3, second, RetryPolicy.NO_JITTER).delayNanos(3)).isEqualTo(TimeUnit.SECONDS.toNanos(4));
        Random seeded = new Random(852);
        RetryPolicy spread = new RetryPolicy(3, second, seeded::nextDouble);
        for (int i = 0; i < 1000; i++) {
            assertThat(spread.delayNanos(1)).isBetween(TimeUnit.MILLISECONDS.toNanos(500), TimeUnit.SECONDS.toNanos(1));
        }
    }

    @Test
    void onlyTooManyRequestsAndGatewayStatusesAreRetryable() {
        assertThat(List.of(429, 502, 503, 504)).allMatch(RetryPolicy::retryableStatus);
        assertThat(List.of(200, 400, 401, 403, 404, 408, 500, 501, 505)).noneMatch(RetryPolicy::retryableStatus);
    }
}
