package dev.chat852.transport.jdk;

import dev.chat852.spi.TransportRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Requests as chat852 sends them, with a token in the body that must never show up anywhere. */
final class TestRequests {
    static final String TOKEN = "sk-secret-token-0123456789";
    static final String BODY = "{\"model\":\"gpt-4\",\"token\":\"" + TOKEN + "\",\"messages\":[]}";

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
}
