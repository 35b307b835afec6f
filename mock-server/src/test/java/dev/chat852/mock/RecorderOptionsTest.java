package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.LogCapture;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each option of {@link Recorder.Builder} with its effect, and the recorder's life: start, ask, close. */
class RecorderOptionsTest {
    private static final String REQUEST = RawHttp.chat("gpt-4", "sk-options-test-token", true, "user", "你好");
    private static final int REQUEST_BYTES = REQUEST.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;

    @TempDir
    Path folder;

    private MockServer upstream;

    @BeforeEach
    void setUp() {
        upstream = MockServer.builder().recording(Recording.of(RecordedResponse.builder().chunk(0, "answer").build()))
                .build().start();
    }

    @AfterEach
    void tearDown() {
        upstream.close();
    }

    private Recorder.Builder recorder() {
        return Recorder.builder().upstream(upstream.baseUri()).output(folder);
    }

    @Test
    void listensOnTheHostAndPortAskedFor() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Recorder recorder = recorder().host("localhost").port(port).build().start()) {
            assertThat(recorder.port()).isEqualTo(port);
            assertThat(recorder.baseUri()).isEqualTo(URI.create("http://localhost:" + port));
            assertThat(recorder.endpoint()).isEqualTo(URI.create("http://localhost:" + port + ChatApi.PATH));
            assertThat(RawHttp.post(recorder.baseUri(), REQUEST).text()).isEqualTo("answer");
        }
    }

    @Test
    void portsAreFrom0To65535() {
        assertThat(Recorder.builder().port(0)).isNotNull();
        assertThat(Recorder.builder().port(65535)).isNotNull();
        assertThatThrownBy(() -> Recorder.builder().port(-1)).hasMessage("port must be 0..65535, was -1");
        assertThatThrownBy(() -> Recorder.builder().port(65536)).hasMessage("port must be 0..65535, was 65536");
    }

    @Test
    void onRecordedIsToldOfEachFileWrittenInOrder() throws Exception {
        List<Path> told = new CopyOnWriteArrayList<>();
        try (Recorder recorder = recorder().onRecorded(told::add).build().start()) {
            RawHttp.post(recorder.baseUri(), REQUEST);
            RawHttp.post(recorder.baseUri(), REQUEST);

            assertThat(told).hasSize(2).isEqualTo(recorder.recorded());
            assertThat(told).allSatisfy(file -> assertThat(file).exists().hasParent(folder));
        }
    }

    @Test
    void aRequestLargerThanMaxRequestBytesIsRefusedWith413AndNotForwarded() throws Exception {
        try (Recorder recorder = recorder().maxRequestBytes(REQUEST_BYTES - 1).build().start()) {
            RawHttp.Response refused = RawHttp.post(recorder.baseUri(), REQUEST);

            assertThat(refused.status).isEqualTo(413);
            assertThat(upstream.requests()).isEmpty();
            assertThat(recorder.recorded()).isEmpty();
        }
        try (Recorder recorder = recorder().maxRequestBytes(REQUEST_BYTES).build().start()) {
            assertThat(RawHttp.post(recorder.baseUri(), REQUEST).text()).as("exactly the bound is accepted").isEqualTo("answer");
        }
    }

    @Test
    void theBoundsHaveTheirSmallestValues() {
        assertThat(Recorder.builder().maxRequestBytes(1)).isNotNull();
        assertThatThrownBy(() -> Recorder.builder().maxRequestBytes(0)).hasMessage("maxRequestBytes must be >= 1");
        assertThat(Recorder.builder().maxRecordingBytes(1024)).isNotNull();
        assertThatThrownBy(() -> Recorder.builder().maxRecordingBytes(1023))
                .hasMessage("maxRecordingBytes must be >= 1024, was 1023");
    }

    @Test
    void addressesAreKnownOnlyOnceStarted() {
        Recorder recorder = recorder().build();

        assertThatThrownBy(recorder::port).hasMessage("recorder not started");
        assertThatThrownBy(recorder::baseUri).hasMessage("recorder not started");
        assertThatThrownBy(recorder::endpoint).hasMessage("recorder not started");
        recorder.close();
    }

    @Test
    void startsOnceAndNeverAfterClose() {
        Recorder recorder = recorder().build().start();
        assertThatThrownBy(recorder::start).hasMessage("recorder already started");
        recorder.close();
        recorder.close(); // idempotent
        assertThatThrownBy(recorder::start).hasMessage("recorder is closed");

        Recorder neverStarted = recorder().build();
        neverStarted.close();
        assertThatThrownBy(neverStarted::start).hasMessage("recorder is closed");
    }

    @Test
    void awaitCloseReturnsOnceAnotherThreadClosesTheRecorder() throws Exception {
        Recorder recorder = recorder().build().start();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                recorder.awaitClose();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        int port = recorder.port();

        recorder.close();

        waiting.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", port).close())
                .as("once awaitClose returned, nothing listens").isInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void awaitCloseOnARecorderNeverStartedReturnsAtOnce() throws Exception {
        Recorder recorder = recorder().build();
        CompletableFuture.runAsync(() -> {
            try {
                recorder.awaitClose();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void describesItselfByUpstreamAndFolder() {
        assertThat(recorder().build()).hasToString("Recorder[" + upstream.baseUri() + " -> " + folder + "]");
    }

    @Test
    void logsWhereItListensForwardsAndWritesAtDebugWhenStarted() {
        try (LogCapture log = LogCapture.start(Set.of("dev.chat852.mock"));
             Recorder recorder = recorder().build().start()) {
            assertThat(log.entries()).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(Level.FINE);
                assertThat(e.text()).contains("chat852 recorder at " + recorder.baseUri() + " forwarding to "
                        + upstream.baseUri() + ", writing to " + folder);
            });
        }
    }
}
