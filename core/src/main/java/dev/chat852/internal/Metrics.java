package dev.chat852.internal;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where a call's figures go. {@link #NONE} costs nothing and never touches Micrometer's classes, so the
 * optional dependency may be absent.
 */
public interface Metrics {

    /** How a call ended; the {@code outcome} tag. */
    enum Outcome {
        SUCCESS, API_ERROR, HTTP_ERROR, PROTOCOL_ERROR, TRANSPORT_ERROR, TIMEOUT, CANCELLED;

        /** The tag value: lower case. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
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
