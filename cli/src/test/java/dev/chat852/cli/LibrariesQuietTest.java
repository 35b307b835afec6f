package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatClient;
import dev.chat852.ChatRequest;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Recorder;
import dev.chat852.mock.Recording;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.LogCapture;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import java.nio.file.Path;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Quiet by default: the libraries (core, both transports, the mock server and its recorder, Netty under
 * them) log nothing at INFO or above while everything goes as it should: a mock started, a recorder
 * started, a streamed and a whole answer through the recorder, everything closed. They do log at DEBUG,
 * for whoever turns it on. Here rather than in a library module because it needs all of them at once.
 */
class LibrariesQuietTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jdk", "netty"})
    void aNormalReplayRecordingAndCallLogNothingAtInfoOrAbove(String transportName, @TempDir Path dir) {
        LogCapture.Entry[] entries;
        try (LogCapture logs = LogCapture.start(Set.of("io.netty", "jdk.internal.httpclient"))) {
            try (MockServer upstream = MockServer.builder().recordings(Recording.demo()).speed(0).build().start();
                 Recorder recorder = Recorder.builder().upstream(upstream.baseUri()).output(dir).build().start();
                 Transport transport = transportName.equals("jdk") ? JdkTransport.create() : NettyTransport.create();
                 ChatClient client = ChatClient.builder().transport(transport).baseUrl(recorder.baseUri().toString())
                         .token("sk-quiet-test-token").build()) {
                assertThat(client.stream(ChatRequest.of("你好")).completion().join().text()).isEqualTo(Demo.ZH);
                assertThat(client.complete(ChatRequest.of("hi")).text()).isNotEmpty();
                assertThat(recorder.recorded()).hasSize(2);
            }
            entries = logs.entries().toArray(LogCapture.Entry[]::new);
        }

        assertThat(entries).as("records at INFO or above").filteredOn(e -> e.level().intValue() >= Level.INFO.intValue())
                .isEmpty();
        assertThat(entries).as("the libraries still say what they do, at DEBUG")
                .anyMatch(e -> e.logger().equals("dev.chat852.mock") && e.text().contains("chat852 mock serving"))
                .anyMatch(e -> e.logger().equals("dev.chat852.ChatClient"));
    }
}
