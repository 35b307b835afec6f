package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.Recording;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that the load test reads and checks every replay; how fast is the load test's own business. */
class MockLoadTest {

    @ParameterizedTest
    @ValueSource(strings = {"mock", "raw"})
    void everyReplayArrivesExactlyAndEveryDelayedChunkIsTimed(String server) throws Exception {
        MockLoad.Options o = MockLoad.Options.parse(new String[] {"--server", server, "--gap-ms", "2"});
        Recording recording = BenchRecordings.paced(ChatBodyGenerator.generate(BenchRecordings.SEED, 1_000), 5, 4, 2);

        MockLoad.Result r = MockLoad.run(o, 20, recording);

        assertThat(r.firstFailure).isNull();
        assertThat(r.completed).isEqualTo(20);
        assertThat(r.lateness).hasSize(20 * 4);
        assertThat(r.gapExcess).hasSize(20 * 4);
        assertThat(r.head).hasSize(20);
        assertThat(r.wall).isGreaterThanOrEqualTo(r.nominal);
        assertThat(r.nominal).isEqualTo((5 + 4 * 2) * 1_000_000L);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 100})
    void nearestRankPercentiles(int n) {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        assertThat(MockLoad.pct(v, 0.5)).isEqualTo((n + 1) / 2);
        assertThat(MockLoad.pct(v, 0.99)).isEqualTo((long) Math.ceil(0.99 * n));
        assertThat(MockLoad.max(v)).isEqualTo(n);
    }
}
