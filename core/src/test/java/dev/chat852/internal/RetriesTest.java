package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetriesTest {

    @Test
    void theBackoffDoublesPerRetryUpToThirtySeconds() {
        Duration initial = Duration.ofMillis(500);
        assertThat(Retries.backoffNanos(initial, 1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(Retries.backoffNanos(initial, 2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(Retries.backoffNanos(initial, 4)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4000));
        assertThat(Retries.backoffNanos(initial, 1000)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
        assertThat(Retries.backoffNanos(Duration.ZERO, 5)).isZero();
        assertThat(Retries.backoffNanos(Duration.ofDays(365_000), 1)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void retryAfterIsReadInSecondsAndCappedAndAnythingElseIsIgnored() {
        assertThat(Retries.retryAfterNanos(List.of("2"))).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(Retries.retryAfterNanos(List.of(" 7 "))).isEqualTo(TimeUnit.SECONDS.toNanos(7));
        assertThat(Retries.retryAfterNanos(List.of("86400"))).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(Retries.retryAfterNanos(List.of(String.valueOf(Long.MAX_VALUE)))).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(Retries.retryAfterNanos(List.of("Wed, 21 Oct 2026 07:28:00 GMT"))).isZero();
        assertThat(Retries.retryAfterNanos(List.of("-3"))).isZero();
        assertThat(Retries.retryAfterNanos(List.of())).isZero();
        assertThat(Retries.retryAfterNanos(null)).isZero();
    }

    @Test
    void onlyTooManyRequestsAndGatewayStatusesAreRetryable() {
        assertThat(List.of(429, 502, 503, 504)).allMatch(Retries::retryableStatus);
        assertThat(List.of(200, 400, 401, 403, 404, 408, 500, 501, 505)).noneMatch(Retries::retryableStatus);
    }
}
