package dev.chat852.transport.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.TransportRequest;
import dev.chat852.testkit.HostileServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** What the Netty transport's own tests share: resources closed after each test, the raw server, requests. */
abstract class NettyTransportFixture {
    static final Duration CONNECT = Duration.ofSeconds(5);

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    <T extends AutoCloseable> T closeLater(T c) {
        toClose.add(c);
        return c;
    }

    HostileServer server(HostileServer.Responder responder) throws IOException {
        return closeLater(HostileServer.answering(responder));
    }

    NettyTransport transport() {
        return closeLater(NettyTransport.create());
    }

    static TransportRequest post(String baseUrl, String body, Duration connectTimeout) {
        return new TransportRequest(URI.create(baseUrl + "/api/chat?x=1"), Map.of("Content-Type", "application/json"),
                body.getBytes(UTF_8), connectTimeout);
    }

    static Exchange run(NettyTransport t, String url, RecordingHandler h) {
        Exchange ex = t.execute(post(url, "{}", CONNECT), h);
        ex.request(Long.MAX_VALUE);
        return ex;
    }
}
