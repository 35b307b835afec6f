package dev.chat852.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** The meters documented in docs/client.md. Registration is idempotent; the registry caches meters. */
final class MicrometerMetrics implements Metrics {
    static final String REQUESTS = "chat852.requests";
    static final String FIRST_BYTE = "chat852.time.to.first.byte";
    static final String FIRST_TEXT = "chat852.time.to.first.text";
    static final String DURATION = "chat852.stream.duration";
    static final String BYTES = "chat852.response.bytes";
    static final String CHUNKS = "chat852.response.chunks";

    private final MeterRegistry registry;

    MicrometerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void record(String model, String transport, Outcome outcome, long firstByteNanos, long firstTextNanos,
            long durationNanos, long bytes, long chunks) {
        Tags call = Tags.of("model", model, "transport", transport);
        Tags withOutcome = call.and("outcome", outcome.tag());
        Counter.builder(REQUESTS).description("Chat calls, by how they ended").tags(withOutcome)
                .register(registry).increment();
        if (firstByteNanos >= 0) {
            Timer.builder(FIRST_BYTE).description("From sending a request to its response status")
                    .tags(call).register(registry).record(firstByteNanos, TimeUnit.NANOSECONDS);
        }
        if (firstTextNanos >= 0) {
            Timer.builder(FIRST_TEXT).description("From sending a request to the first answer text")
                    .tags(call).register(registry).record(firstTextNanos, TimeUnit.NANOSECONDS);
        }
        Timer.builder(DURATION).description("From sending a request to its end").tags(withOutcome)
                .register(registry).record(durationNanos, TimeUnit.NANOSECONDS);
        DistributionSummary.builder(BYTES).description("Response body bytes per call").baseUnit("bytes")
                .tags(call).register(registry).record(bytes);
        DistributionSummary.builder(CHUNKS).description("Response body reads per call")
                .tags(call).register(registry).record(chunks);
    }
}
