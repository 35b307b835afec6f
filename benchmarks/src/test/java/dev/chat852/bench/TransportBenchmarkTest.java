package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks what the benchmark does, never how fast: timing belongs to JMH. */
class TransportBenchmarkTest {

    @ParameterizedTest
    @ValueSource(strings = {"jdk", "netty", "raw", "handwritten"})
    void everyMethodReadsTheWholeAnswerOverEachTransport(String transport) throws Exception {
        TransportBenchmark benchmark = new TransportBenchmark();
        benchmark.transport = transport;
        benchmark.setup(); // starts the server process; fails unless both answers arrive exactly
        try {
            TransportBenchmark.InFlight inFlight = new TransportBenchmark.InFlight();
            for (int i = 0; i < 3; i++) { // the same keep-alive connection, call after call
                assertThat(benchmark.firstText(inFlight)).isNotNull();
                inFlight.finish(); // throws unless the rest of the answer arrives
                assertThat(benchmark.shortCall()).isPositive();
            }
            long expected = transport.equals("raw")
                    ? BenchRecordings.LONG_BYTES
                    : BenchRecordings.longBody().text().length();
            assertThat(benchmark.longStream()).isEqualTo(expected);
            assertThat(benchmark.longStreamNotKept()).isEqualTo(expected); // throws if the text was kept
        } finally {
            benchmark.tearDown();
        }
    }
}
