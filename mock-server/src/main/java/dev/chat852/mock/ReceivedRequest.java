package dev.chat852.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.mock.internal.Jsons;
import dev.chat852.protocol.ApiRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

    /** This request as answered by {@code matched}, the name of a recording or {@code "dispatcher"}. */
    ReceivedRequest answeredBy(String matched) {
        return new ReceivedRequest(receivedAt, method, path, headers, json, model, messages, stream, hasToken, matched);
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

    /**
     * What answered: the name of the recording, or {@code "dispatcher"} for a {@link Dispatcher}'s
     * response. Empty when the server answered with an error of its own (no recording matched, the token
     * was refused, the body or the path was wrong, the dispatcher threw): such a request is unmatched.
     */
    public Optional<String> matched() {
        return Optional.ofNullable(matched);
    }

    /**
     * The JSON form, one element of what the admin API's {@code GET /__admin/requests} lists:
     * {@code receivedAt} (ISO-8601), {@code method}, {@code path}, {@code headers} (lower-case name to
     * values, redacted), {@code json} (the body without its token, or {@code null}), {@code model},
     * {@code messages}, {@code stream}, {@code hasToken} and {@code matched} (or {@code null}).
     */
    public String toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("receivedAt", receivedAt.toString());
        node.put("method", method);
        node.put("path", path);
        node.set("headers", Jsons.tree(headers));
        node.set("json", json);
        node.put("model", model);
        node.set("messages", Jsons.tree(messages));
        node.put("stream", stream);
        node.put("hasToken", hasToken);
        node.put("matched", matched);
        return Jsons.write(node);
    }

    /** Reads the form {@link #toJson()} writes, as {@link MockAdmin#requests()} receives it. */
    static ReceivedRequest fromJson(JsonNode node) {
        Map<String, List<String>> headers = new TreeMap<>();
        node.path("headers").properties().forEach(h -> {
            List<String> values = new ArrayList<>();
            h.getValue().forEach(v -> values.add(v.asText()));
            headers.put(h.getKey(), List.copyOf(values));
        });
        JsonNode json = node.path("json");
        return new ReceivedRequest(Instant.parse(node.path("receivedAt").asText()), node.path("method").asText(),
                node.path("path").asText(), Collections.unmodifiableMap(headers), json.isObject() ? json : null,
                text(node, "model"), ApiRequest.parseMessages(node.path("messages"), "messages"),
                node.path("stream").asBoolean(true), node.path("hasToken").asBoolean(), text(node, "matched"));
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    @Override
    public String toString() {
        return method + " " + path + (model == null ? "" : " model=" + model) + " " + messages.size()
                + " message(s)" + (stream ? "" : " stream=false") + (matched == null ? " (unmatched)" : " -> " + matched);
    }
}
