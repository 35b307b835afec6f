package dev.chat852.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.mock.internal.AdminApi;
import dev.chat852.mock.internal.Jsons;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Drives a {@link MockServer} in another process (a container, {@code chat852 mock}) through its admin
 * API ({@code /__admin/…}, see {@code docs/container.md}). Each method does what the
 * {@link MockServer} method of the same name does in-process.
 *
 * <pre>{@code
 * MockAdmin admin = MockAdmin.of(URI.create("http://127.0.0.1:8520"));
 * admin.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "start852{}end852你好").build()));
 * // ... the code under test chats with http://127.0.0.1:8520 ...
 * assertThat(admin.requests()).singleElement().satisfies(r -> assertThat(r.hasToken()).isTrue());
 * admin.reset();
 * }</pre>
 *
 * <p>Thread-safe. A call that the server refuses throws {@link IllegalStateException} with the
 * server's message; one that cannot reach it throws {@link UncheckedIOException}.
 */
public final class MockAdmin {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUri;
    private final HttpClient http;

    private MockAdmin(URI baseUri) {
        this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    /** The admin API of the mock at {@code baseUri} ({@code http://HOST:PORT}, as {@link MockServer#baseUri()}). */
    public static MockAdmin of(URI baseUri) {
        return new MockAdmin(baseUri);
    }

    /** The base URI this talks to. */
    public URI baseUri() {
        return baseUri;
    }

    /** Whether the server answers its health check ({@code GET /__admin/health}) with 200; false if unreachable. */
    public boolean isUp() {
        try {
            return send("GET", AdminApi.HEALTH, null).statusCode() == 200;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    /** As {@link MockServer#add}: checked before every earlier recording, until {@link #reset()}. */
    public MockAdmin add(Recording recording) {
        expectOk(send("POST", AdminApi.RECORDINGS, recording.toJson()));
        return this;
    }

    /** As {@link MockServer#enqueue}: answers the next matching request, once. */
    public MockAdmin enqueue(Recording recording) {
        expectOk(send("POST", AdminApi.RECORDINGS + "?once=true", recording.toJson()));
        return this;
    }

    /** As {@link MockServer#requests()}: what the server received, oldest first, without the token. */
    public List<ReceivedRequest> requests() {
        HttpResponse<String> response = expectOk(send("GET", AdminApi.REQUESTS, null));
        JsonNode list = Jsons.parseOrNull(response.body());
        if (list == null || !list.path("requests").isArray()) {
            throw new IllegalStateException("chat852 mock admin: GET " + AdminApi.REQUESTS
                    + " did not answer {\"requests\":[…]}");
        }
        List<ReceivedRequest> requests = new ArrayList<>();
        list.get("requests").forEach(r -> requests.add(ReceivedRequest.fromJson(r)));
        return List.copyOf(requests);
    }

    /** As {@link MockServer#clearRequests()}. */
    public void clearRequests() {
        expectOk(send("DELETE", AdminApi.REQUESTS, null));
    }

    /** As {@link MockServer#reset()}: forgets added and enqueued recordings and received requests. */
    public void reset() {
        expectOk(send("POST", AdminApi.RESET, null));
    }

    @Override
    public String toString() {
        return "MockAdmin[" + baseUri + "]";
    }

    private HttpResponse<String> send(String method, String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUri + path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("chat852 mock admin: " + method + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(
                    "chat852 mock admin: interrupted during " + method + " " + request.uri()));
        }
    }

    private static HttpResponse<String> expectOk(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            JsonNode body = Jsons.parseOrNull(response.body());
            String message = body != null && body.hasNonNull("message") ? body.get("message").asText() : response.body();
            throw new IllegalStateException("chat852 mock admin: " + response.request().method() + " "
                    + response.request().uri().getPath() + " answered HTTP " + response.statusCode() + ": " + message);
        }
        return response;
    }
}
