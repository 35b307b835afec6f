package dev.chat852.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.LogCapture;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** A bug while a request is handled is a logged, per-connection failure: never a silent empty reply. */
class MockHandlerErrorTest {

    @Test
    void anUnexpectedErrorWhileHandlingIsLoggedAsAWarningAndTheConnectionClosed() {
        EmbeddedChannel channel = new EmbeddedChannel();
        NettyServer.pipeline(channel.pipeline(), 1 << 16, new MockHandler(new BrokenBackend()));
        channel.pipeline().fireChannelActive();
        String body = "{\"model\":\"gpt-4\",\"messages\":[]}";
        try (LogCapture log = LogCapture.start(Set.of("dev.chat852.mock"))) {
            channel.writeInbound(Unpooled.copiedBuffer("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: " + body.length() + "\r\n\r\n" + body, StandardCharsets.ISO_8859_1));
            channel.runPendingTasks();

            assertThat(channel.isOpen()).isFalse();
            assertThat(log.entries()).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(Level.WARNING);
                assertThat(e.text()).contains("unexpected error", "matcher bug");
            });
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static final class BrokenBackend implements MockBackend {
        private final MockServer admin = MockServer.builder().build();

        @Override
        public double speed() {
            return 0;
        }

        @Override
        public Rechunk rechunk() {
            return Rechunk.asRecorded();
        }

        @Override
        public List<Fault> faults() {
            return List.of();
        }

        @Override
        public boolean acceptsToken(String token) {
            return true;
        }

        /** An unstarted server: what the admin API reads and changes, for requests that reach it. */
        @Override
        public MockServer server() {
            return admin;
        }

        @Override
        public MockResponse answer(String path, Map<String, List<String>> headers, ApiRequest request) {
            throw new IllegalStateException("matcher bug");
        }

        @Override
        public List<Recording> recordings() {
            return List.of();
        }

        @Override
        public void received(String method, String path, Map<String, List<String>> headers, ApiRequest request) {
        }

        @Override
        public TrackedConnection connected(Channel channel) {
            return new TrackedConnection(1, channel);
        }
    }
}
