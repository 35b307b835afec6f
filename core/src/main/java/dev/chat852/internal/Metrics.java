package dev.chat852.internal;

import dev.chat852.ApiException;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Where a call's figures go. {@link #NONE} costs nothing and never touches Micrometer's classes, so the
 * optional dependency may be absent.
 */
public interface Metrics {

    /** How a call ended; the {@code outcome} tag. */
    enum Outcome {
        SUCCESS, API_ERROR, HTTP_ERROR, PROTOCOL_ERROR, TRANSPORT_ERROR, TIMEOUT, CANCELLED;

        /** How a call ended: {@link #SUCCESS} for a {@code null} error, else by the error's type. */
        public static Outcome of(Throwable error) {
            if (error == null) {
                return SUCCESS;
            } else if (error instanceof CancellationException) {
                return CANCELLED;
            } else if (error instanceof ApiException) {
                return API_ERROR;
            } else if (error instanceof HttpStatusException) {
                return HTTP_ERROR;
            } else if (error instanceof ProtocolException) {
                return PROTOCOL_ERROR;
            } else if (error instanceof ChatTimeoutException) {
                return TIMEOUT;
            }
            return TRANSPORT_ERROR;
        }

        /** The tag value: lower case. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A finished call, times in nanoseconds; -1 where the moment never came. */
    void record(String model, String transport, Outcome outcome, long firstByteNanos, long firstTextNanos,
            long durationNanos, long bytes, long chunks);

    Metrics NONE = (model, transport, outcome, firstByte, firstText, duration, bytes, chunks) -> { };

    /** Loaded only when a registry was given. */
    static Metrics micrometer(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }
}
