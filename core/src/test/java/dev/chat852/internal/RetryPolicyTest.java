package dev.chat852.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void theBackoffDoublesPerRetryUpToThirtySeconds() {
        Duration initial = Duration.ofMillis(500);
        assertThat(new RetryPolicy(0, initial).backoffNanos(1)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(new RetryPolicy(0, initial).backoffNanos(2)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1000));
        assertThat(new RetryPolicy(0, initial).backoffNanos(4)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(4000));
        assertThat(new RetryPolicy(0, initial).backoffNanos(1000)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
        assertThat(new RetryPolicy(0, Duration.ZERO).backoffNanos(5)).isZero();
        assertThat(new RetryPolicy(0, Duration.ofDays(365_000)).backoffNanos(1)).isEqualTo(TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void retryAfterIsReadInSecondsAndCappedAndAnythingElseIsIgnored() {
        assertThat(RetryPolicy.retryAfterNanos(List.of("2"))).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(RetryPolicy.retryAfterNanos(List.of(" 7 "))).isEqualTo(TimeUnit.SECONDS.toNanos(7));
        assertThat(RetryPolicy.retryAfterNanos(List.of("86400"))).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(RetryPolicy.retryAfterNanos(List.of(String.valueOf(Long.MAX_VALUE)))).isEqualTo(TimeUnit.SECONDS.toNanos(60));
        assertThat(RetryPolicy.retryAfterNanos(List.of("Wed, 21 Oct 2026 07:28:00 GMT"))).isZero();
        assertThat(RetryPolicy.retryAfterNanos(List.of("-3"))).isZero();
        assertThat(RetryPolicy.retryAfterNanos(List.of())).isZero();
        assertThat(RetryPolicy.retryAfterNanos(null)).isZero();
    }

    @Test
    void onlyTooManyRequestsAndGatewayStatusesAreRetryable() {
        assertThat(List.of(429, 502, 503, 504)).allMatch(RetryPolicy::retryableStatus);
        assertThat(List.of(200, 400, 401, 403, 404, 408, 500, 501, 505)).noneMatch(RetryPolicy::retryableStatus);
    }
}
