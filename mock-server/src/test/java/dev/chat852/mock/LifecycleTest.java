package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.protocol.ChatApi;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    private static Set<Thread> serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().startsWith("chat852-mock") || t.getName().startsWith("chat852-recorder"))
                .collect(Collectors.toSet());
    }

    @Test
    void startsAndStopsQuicklyLeavingNoThreads(@TempDir Path dir) throws Exception {
        Set<Thread> before = serverThreads(); // servers of other test classes may still be winding down
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            MockServer server = MockServer.builder().speed(0).recordings(Recording.demo()).build().start();
            Recorder recorder = Recorder.builder().upstream(server.baseUri()).output(dir).build().start();
            RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));
            recorder.close();
            server.close();
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        }
        assertThat(serverThreads()).isSubsetOf(before);
    }

    /** The event loop's termination is signalled from its last thread just before it ends: close() waits for the end. */
    @Test
    void closeReturnsOnlyOnceTheServersThreadsHaveEnded() throws Exception {
        Set<Thread> before = serverThreads();
        for (int i = 0; i < 40; i++) {
            MockServer server = MockServer.builder().speed(0).recordings(Recording.demo()).build().start();
            RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));
            server.close();
            assertThat(serverThreads()).as("round %d", i).isSubsetOf(before);
        }
    }

    @Test
    void closingDropsAStreamInProgress() throws Exception {
        MockServer server = MockServer.builder().recording(Recording.of(RecordedResponse.builder()
                .chunk(0, "a").chunk(60_000, "never").build())).build().start();
        RawHttp http = new RawHttp(server.baseUri());
        long sent = http.write("POST", ChatApi.PATH, java.util.Map.of(), RawHttp.chat("m", null, true));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (server.requests().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }

        long start = System.nanoTime();
        server.close();

        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
        RawHttp.Response response = http.readResponse(sent);
        assertThat(response.status).isEqualTo(200);
        assertThat(response.text()).isEqualTo("a");
        assertThat(response.complete).isFalse();
        http.close();
    }

    @Test
    void refusesToStartTwiceOrAfterClose() {
        MockServer server = MockServer.builder().build().start();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        server.close();
        server.close();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void saysWhichAddressIsTakenWhenThePortIsInUse() {
        try (MockServer first = MockServer.builder().build().start()) {
            MockServer second = MockServer.builder().port(first.port()).build();
            assertThatThrownBy(second::start).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + first.port());
            assertThat(threadsNamed("chat852-mock")).isLessThanOrEqualTo(2L * Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void theRecorderNeedsAnOutputFolderAndAnHttpUpstream(@TempDir Path dir) {
        assertThatThrownBy(() -> Recorder.builder().build()).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("output");
        assertThatThrownBy(() -> Recorder.builder().output(dir).upstream(java.net.URI.create("ftp://example.org")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    }
}
