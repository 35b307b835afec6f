package dev.chat852.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.Recording;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks that the load test reads and checks every replay of every server; how fast is the load test's own business. */
class MockLoadTest {

    @ParameterizedTest
    @ValueSource(strings = {"mock", "raw", "wiremock", "mockwebserver"})
    void everyReplayOfEveryServerArrivesExactlyChunkForChunkAndEveryDelayedChunkIsTimed(String server) throws Exception {
        MockLoad.Options o = MockLoad.Options.parse(new String[] {"--server", server, "--head-ms", "5",
                "--text-chunks", "4", "--gap-ms", "2"});
        Recording recording = LoadServer.recording(5, 4, 2);

        try (ServerProcess process = ServerProcess.start(LoadServer.class, server, "5", "4", "2", "1", "64")) {
            MockLoad.Result r = MockLoad.run(o, server, process, 20, recording);

            assertThat(r.firstFailure).isNull();
            assertThat(r.completed).isEqualTo(20);
            assertThat(r.lateness).hasSize(20 * 4);
            assertThat(r.gapExcess).hasSize(20 * 4);
            assertThat(r.head).hasSize(20);
            assertThat(r.wall).isGreaterThanOrEqualTo(r.nominal);
            assertThat(r.nominal).isEqualTo((5 + 4 * 2) * 1_000_000L);
            assertThat(r.serverCpu).as("the server process's CPU time, measured").isNotNegative();
        }
    }

    @Test
    void theRecordingIsCutIntoEqualChunksTheFirstWithTheHead() {
        Recording recording = LoadServer.recording(500, 20, 50);

        List<Chunk> chunks = recording.response().chunks();
        assertThat(chunks).hasSize(21);
        assertThat(chunks).extracting(Chunk::size).containsOnly(chunks.get(0).size());
        assertThat(chunks.get(0).delayMs()).isZero();
        assertThat(chunks.subList(1, 21)).extracting(Chunk::delayMs).containsOnly(50L);
        assertThat(recording.response().headersDelayMs()).isEqualTo(500);
        assertThat(recording.response().body()).isEqualTo(
                ChatBodyGenerator.generate(BenchRecordings.SEED, 21 * chunks.get(0).size()).bytes());
        assertThat(chunks.get(0).size() * 21).isBetween(2_081, 2_081 + 20);
    }

    @Test
    void serversAreListedInTheOrderGivenAndUnknownOnesAreRefused() {
        assertThat(MockLoad.Options.parse(new String[] {"--server", "mock,wiremock,mockwebserver"}).servers)
                .containsExactly("mock", "wiremock", "mockwebserver");
        assertThatThrownBy(() -> MockLoad.Options.parse(new String[] {"--server", "mock,jetty"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("jetty");
    }

    @Test
    void theJsonHoldsOneObjectPerReportedRunWithItsFigures(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("load.json");
        MockLoad.Options o = MockLoad.Options.parse(new String[] {"--server", "raw", "--head-ms", "5",
                "--text-chunks", "4", "--gap-ms", "2", "--json", file.toString()});
        Recording recording = LoadServer.recording(5, 4, 2);
        MockLoad.Result r;
        try (ServerProcess process = ServerProcess.start(LoadServer.class, "raw", "5", "4", "2", "1", "64")) {
            r = MockLoad.run(o, "raw", process, 3, recording);
        }

        LoadJson.write(o, new Expected(recording, 1), List.of(r));

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.path("settings").path("chunks").asInt()).isEqualTo(5);
        assertThat(json.path("runs")).hasSize(1);
        JsonNode run = json.path("runs").path(0);
        assertThat(run.path("server").asText()).isEqualTo("raw");
        assertThat(run.path("connections").asInt()).isEqualTo(3);
        assertThat(run.path("completed").asInt()).isEqualTo(3);
        assertThat(run.path("latenessP99Us").asDouble()).isEqualTo(MockLoad.pct(r.lateness, 0.99) / 1e3);
        assertThat(run.path("gapExcessMaxUs").asDouble()).isEqualTo(MockLoad.max(r.gapExcess) / 1e3);
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
