package dev.chat852.internal;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatTimeoutException;
import dev.chat852.TransportException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * How often a call is tried again, after how long, and which failures qualify (see
 * {@code ChatClient.Builder.retries}). Only failures before the response began qualify;
 * {@link RetryingExchange} sees to that part.
 *
 * @param maxRetries retries after the first attempt; 0 for none
 * @param backoff the pause before the first retry, doubled per retry
 * @param random numbers in [0, 1) that spread the pauses, so clients refused together do not return together
 */
public record RetryPolicy(int maxRetries, Duration backoff, DoubleSupplier random) {
    /** Spreads pauses at random. */
    static final DoubleSupplier JITTER = () -> ThreadLocalRandom.current().nextDouble();
    /** No spread: every pause is the whole backoff (for tests that time retries exactly). */
    static final DoubleSupplier NO_JITTER = () -> 1.0;

    /** Backoff doubles per retry up to this. */
    static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** A server's Retry-After is honoured up to this; a longer one is treated as this. */
    static final long MAX_RETRY_AFTER_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** 429 Too Many Requests and the gateway statuses: the server did not start on the request. */
    static boolean retryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /**
     * The connection failed (anything a transport reports that is not one of chat852's own failures) or
     * could not be opened in time. Not the first-byte timeout: the server may be writing the answer
     * already, and a second attempt would be charged twice.
     */
    static boolean retryableFailure(Throwable error) {
        return !(error instanceof Chat852Exception) || error instanceof TransportException
                || error instanceof ChatTimeoutException && ((ChatTimeoutException) error).kind() == ChatTimeoutException.Kind.CONNECT;
    }

    /**
     * The pause before retry {@code n} (1 for the first): between half and all of {@link #backoffNanos},
     * at random ("equal jitter").
     */
    long delayNanos(int n) {
        long cap = backoffNanos(n);
        return cap / 2 + (long) ((cap - cap / 2) * Math.min(1.0, random.getAsDouble()));
    }

    /** The longest pause before retry {@code n} (1 for the first): {@link #backoff} doubled per retry, capped. */
    long backoffNanos(int n) {
        if (backoff.compareTo(Duration.ofNanos(MAX_BACKOFF_NANOS)) >= 0) {
            return MAX_BACKOFF_NANOS; // also keeps toNanos() from overflowing on a huge setting
        }
        long nanos = backoff.toNanos();
        for (int i = 1; i < n && nanos < MAX_BACKOFF_NANOS; i++) {
            nanos *= 2;
        }
        return Math.min(nanos, MAX_BACKOFF_NANOS);
    }

    /**
     * A {@code Retry-After} header, capped: delta-seconds, or an HTTP-date counted from {@code now}; 0 if
     * absent, in the past, or neither.
     */
    static long retryAfterNanos(List<String> values, Instant now) {
        if (values == null || values.isEmpty()) {
            return 0;
        }
        String value = values.get(0).trim();
        long nanos;
        try {
            nanos = TimeUnit.SECONDS.toNanos(Long.parseLong(value)); // toNanos saturates
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(now, ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
                if (until.isNegative()) {
                    return 0; // a date in the past: no wait
                }
                nanos = until.compareTo(Duration.ofNanos(MAX_RETRY_AFTER_NANOS)) > 0 ? MAX_RETRY_AFTER_NANOS : until.toNanos();
            } catch (DateTimeParseException notADate) {
                return 0;
            }
        }
        return Math.max(0, Math.min(MAX_RETRY_AFTER_NANOS, nanos));
    }
}
