package dev.chat852.transport.jdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.spi.TransportRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpMessagesTest {

    @Test
    void headerNamesAreLowerCasedAndValuesKeptInOrder() {
        HttpHeaders headers = HttpHeaders.of(Map.of("Content-Type", List.of("text/plain"),
                "X-Twice", List.of("1", "2")), (n, v) -> true);

        Map<String, List<String>> out = HttpMessages.headers(headers);

        assertThat(out).containsOnlyKeys("content-type", "x-twice");
        assertThat(out.get("x-twice")).containsExactly("1", "2");
    }

    @Test
    void theRequestIsAnHttp11PostWithTheGivenHeadersAndBodyLength() {
        byte[] body = "{\"token\":\"secret\"}".getBytes(StandardCharsets.UTF_8);
        TransportRequest request = new TransportRequest(URI.create("http://127.0.0.1:1/p"),
                Map.of("Content-Type", "application/json"), body, Duration.ZERO);

        HttpRequest http = HttpMessages.request(request, null);

        assertThat(http.method()).isEqualTo("POST");
        assertThat(http.version()).hasValue(HttpClient.Version.HTTP_1_1);
        assertThat(http.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(http.bodyPublisher().orElseThrow().contentLength()).isEqualTo(body.length);
        assertThat(http.timeout()).isEmpty();
    }
}
