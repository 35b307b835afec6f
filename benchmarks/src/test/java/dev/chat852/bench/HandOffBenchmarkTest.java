package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks what the benchmark does, never how fast: timing belongs to JMH. */
class HandOffBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"nettyLoop", "executor"})
    void aRoundTripReturnsWhatTheTaskOnTheOtherThreadCompleted(String to) {
        HandOffBenchmark benchmark = new HandOffBenchmark();
        benchmark.to = to;
        benchmark.setup();
        try {
            Object first = benchmark.roundTrip();
            for (int i = 0; i < 100; i++) {
                assertThat(benchmark.roundTrip()).isNotNull().isSameAs(first);
            }
        } finally {
            benchmark.tearDown();
        }
    }

    @Test
    void anUnknownTargetIsRefusedByName() {
        HandOffBenchmark benchmark = new HandOffBenchmark();
        benchmark.to = "carrier-pigeon";
        assertThatThrownBy(benchmark::setup).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("carrier-pigeon");
    }
}
