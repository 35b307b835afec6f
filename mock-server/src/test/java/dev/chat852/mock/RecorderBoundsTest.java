package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.mock.internal.Jsons;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure 2 of the hostile-peer issue: an upstream that never stops answering cannot make the recorder
 * keep every chunk. Past its per-exchange bound that exchange alone fails, clearly and logged; the
 * client gets the bytes up to the bound, the recording says exactly what the client got, and the
 * recorder goes on serving.
 */
class RecorderBoundsTest {
    private static final long BOUND = 256 * 1024;

    @TempDir
    Path folder;

    @Test
    void anEndlessAnswerFailsItsOwnExchangeAtTheBoundAndTheRecorderServesOn() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        byte[] piece = "无尽的回答 endless answer ".repeat(200).getBytes(StandardCharsets.UTF_8);
        try (HostileServer upstream = HostileServer.start(peer -> {
                if (connections.incrementAndGet() == 1) {
                    peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
                    peer.repeatChunks(piece, 1L << 30); // a gigabyte: until the recorder hangs up
                } else {
                    peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
                    peer.chunk("fine".getBytes(StandardCharsets.UTF_8)).endChunks();
                }
            });
             LogCapture log = LogCapture.start(Set.of("dev.chat852.mock"));
             Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder)
                     .maxRecordingBytes(BOUND).build().start()) {
            String request = RawHttp.chat("gpt-4", "sk-bounds-test-token", true, "user", "talk forever");

            RawHttp.Response endless = RawHttp.post(recorder.baseUri(), request);

            assertThat(endless.status).isEqualTo(200);
            assertThat(endless.complete).as("the exchange failed: cut, not ended").isFalse();
            Recording recorded = Recording.read(recorder.recorded().get(0));
            byte[] kept = recorded.response().body();
            assertThat(kept).isEqualTo(endless.body());
            assertThat(kept.length + 64L * recorded.response().chunks().size()).isLessThanOrEqualTo(BOUND);
            assertThat(kept.length).isGreaterThan((int) (BOUND / 2));
            assertThat(recorded.response().faults()).containsExactly(Fault.truncate(kept.length));
            assertThat(log.entries()).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(Level.WARNING);
                assertThat(e.text()).contains("maxRecordingBytes", Long.toString(BOUND));
            });
            assertThat(upstream.bytesSent()).as("the upstream was hung up on").isLessThan(64L << 20);

            RawHttp.Response next = RawHttp.post(recorder.baseUri(), request);
            assertThat(next.complete).isTrue();
            assertThat(next.text()).isEqualTo("fine");
            assertThat(recorder.recorded()).hasSize(2);
        }
    }

    @Test
    void oneByteChunksCountTheirBookkeepingTowardsTheBound() throws Exception {
        try (HostileServer upstream = HostileServer.start(peer -> {
                peer.head(200, "Content-Type: text/event-stream", "Transfer-Encoding: chunked");
                peer.repeatChunks(new byte[] {'x'}, 10L << 20);
            });
             Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder)
                     .maxRecordingBytes(64 * 1024).build().start()) {
            RawHttp.Response response = RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "drip"));

            Recording recorded = Recording.read(recorder.recorded().get(0));
            int chunks = recorded.response().chunks().size();
            assertThat(response.complete).isFalse();
            assertThat(recorded.response().body().length + 64L * chunks).isLessThanOrEqualTo(64 * 1024);
            assertThat(Jsons.parseOrNull(recorded.toJson())).isNotNull();
        }
    }

    @Test
    void theBoundIsCheckedWhenTheRecorderIsBuilt() {
        assertThatThrownBy(() -> Recorder.builder().maxRecordingBytes(10))
                .hasMessageContaining("maxRecordingBytes").hasMessageContaining("10");
        assertThat(Recorder.DEFAULT_MAX_RECORDING_BYTES).isEqualTo(16L << 20);
        assertThat(List.of(Recorder.builder().output(folder).build())).hasSize(1);
        assertThatThrownBy(() -> Recorder.builder().connectTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("negative");
        assertThat(Recorder.builder().output(folder).connectTimeout(Duration.ofSeconds(Long.MAX_VALUE)).build())
                .as("a wait longer than Netty's int of milliseconds is no limit, not an ArithmeticException").isNotNull();
    }
}
