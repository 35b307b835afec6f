package dev.chat852.internal;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatTimeoutException;
import dev.chat852.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How often a call is tried again, after how long, and which failures qualify (see
 * {@code ChatClient.Builder.retries}). Only failures before the response began qualify;
 * {@link RetryingExchange} sees to that part.
 *
 * @param maxRetries retries after the first attempt; 0 for none
 * @param backoff the pause before the first retry, doubled per retry
 */
public record RetryPolicy(int maxRetries, Duration backoff) {
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

    /** The pause before retry {@code n} (1 for the first): {@link #backoff} doubled per retry, capped. */
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
     * A {@code Retry-After} header in delta-seconds, capped; 0 if absent or not a whole number of
     * seconds (the HTTP-date form is not used by this API's servers, and is ignored).
     */
    static long retryAfterNanos(List<String> values) {
        if (values == null || values.isEmpty()) {
            return 0;
        }
        try {
            long seconds = Long.parseLong(values.get(0).trim());
            return seconds <= 0 ? 0 : Math.min(MAX_RETRY_AFTER_NANOS, TimeUnit.SECONDS.toNanos(seconds)); // toNanos saturates
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
