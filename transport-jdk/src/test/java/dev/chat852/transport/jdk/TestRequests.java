package dev.chat852.transport.jdk;

import dev.chat852.spi.TransportRequest;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Requests as chat852 sends them, with a token in the body that must never show up anywhere. */
final class TestRequests {
    static final String TOKEN = "sk-secret-token-0123456789";
    static final String BODY = "{\"model\":\"gpt-4\",\"token\":\"" + TOKEN + "\",\"messages\":[]}";
    /** How long a test waits for what the transport does. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private TestRequests() {
    }

    static TransportRequest post(URI uri) {
        return post(uri, Duration.ofSeconds(5));
    }

    static TransportRequest post(URI uri, Duration connectTimeout) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "text/event-stream");
        return new TransportRequest(uri, headers, BODY.getBytes(StandardCharsets.UTF_8), connectTimeout);
    }

    /**
     * On another thread: takes one connection of the interactive {@code server}, reads one request and
     * answers it with a chunked 200 {@code text/event-stream} of {@code body}, {@code chunkSize} bytes per
     * chunk. Completes with the request once answered.
     */
    static CompletableFuture<Peer.Request> answerOnce(HostileServer server, byte[] body, int chunkSize) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Peer peer = server.accept();
                Peer.Request request = peer.readRequest();
                peer.chunkedHead(200, "text/event-stream");
                for (int off = 0; off < body.length; off += chunkSize) {
                    peer.chunk(Arrays.copyOfRange(body, off, Math.min(body.length, off + chunkSize)));
                }
                peer.endChunks();
                return request;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
