package dev.chat852.mock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ChatMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request the {@link MockServer} received, for assertions. It never holds the token: the body's
 * {@code token} field is removed (only {@link #hasToken()} tells it was there) and credential headers
 * read {@code [redacted]}. Immutable.
 *
 * <pre>{@code
 * ReceivedRequest request = server.requests().get(0);
 * assertThat(request.model()).isEqualTo("gpt-4");
 * assertThat(request.messages()).containsExactly(new ChatMessage("user", "你好"));
 * assertThat(request.hasToken()).isTrue();
 * }</pre>
 */
public final class ReceivedRequest {
    private final Instant receivedAt;
    private final String method;
    private final String path;
    private final Map<String, List<String>> headers;
    private final JsonNode json;
    private final String model;
    private final List<ChatMessage> messages;
    private final boolean stream;
    private final boolean hasToken;
    private final String matched;

    ReceivedRequest(Instant receivedAt, String method, String path, Map<String, List<String>> headers,
                    JsonNode json, String model, List<ChatMessage> messages, boolean stream,
                    boolean hasToken, String matched) {
        this.receivedAt = receivedAt;
        this.method = method;
        this.path = path;
        this.headers = headers;
        this.json = json == null ? null : json.deepCopy();
        this.model = model;
        this.messages = List.copyOf(messages);
        this.stream = stream;
        this.hasToken = hasToken;
        this.matched = matched;
    }

    /** When the request was complete. */
    public Instant receivedAt() {
        return receivedAt;
    }

    /** {@code POST}, or whatever the client used. */
    public String method() {
        return method;
    }

    /** The path, without query string. */
    public String path() {
        return path;
    }

    /** Headers by lower-case name; credential headers and any holding the token read {@code [redacted]}. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (name in any case). */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The JSON body without its {@code token} field (a copy); {@code null} if the body was not a JSON object. */
    public JsonNode json() {
        return json == null ? null : json.deepCopy();
    }

    /** The {@code model}, or {@code null} if absent. */
    public String model() {
        return model;
    }

    /** The {@code messages}, empty if absent. */
    public List<ChatMessage> messages() {
        return messages;
    }

    /** False only when {@code params.stream} was {@code false}. */
    public boolean stream() {
        return stream;
    }

    /** Whether the body had a {@code token} (its value is never kept). */
    public boolean hasToken() {
        return hasToken;
    }

    /** The name of the recording that answered, if one did. */
    public Optional<String> matched() {
        return Optional.ofNullable(matched);
    }

    @Override
    public String toString() {
        return method + " " + path + (model == null ? "" : " model=" + model) + " " + messages.size()
                + " message(s)" + (stream ? "" : " stream=false") + (matched == null ? " (unmatched)" : " -> " + matched);
    }
}
