package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.mock.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A chat request body, parsed once: what matching, replay and the request log need. The token is
 * split off here: {@link #json()} never holds it, and {@link #token()} is only for checking and
 * forwarding, never for printing.
 */
public final class ChatRequest {
    private final ObjectNode json;
    private final String model;
    private final List<ChatMessage> messages;
    private final boolean stream;
    private final String token;
    private final String error;

    private ChatRequest(ObjectNode json, String model, List<ChatMessage> messages, boolean stream,
                        String token, String error) {
        this.json = json;
        this.model = model;
        this.messages = messages;
        this.stream = stream;
        this.token = token;
        this.error = error;
    }

    /** Parses a body; a body that is not a usable chat request gives one with {@link #error()} set. */
    public static ChatRequest parse(byte[] body) {
        JsonNode node = Jsons.parseOrNull(new String(body, StandardCharsets.UTF_8));
        if (node == null || !node.isObject()) {
            return invalid("the request body is not a JSON object");
        }
        ObjectNode json = (ObjectNode) node;
        JsonNode tokenNode = json.remove("token");
        String token = tokenNode == null || tokenNode.isNull() ? null : tokenNode.asText();
        String model = json.hasNonNull("model") ? json.get("model").asText() : null;
        List<ChatMessage> messages;
        try {
            messages = json.hasNonNull("messages") ? RecordingJson.messages(json.get("messages"), "messages") : List.of();
        } catch (IllegalArgumentException e) {
            return new ChatRequest(json, model, List.of(), true, token, e.getMessage());
        }
        // The client always says; when it does not, streaming is what the sample page does.
        JsonNode streamNode = json.path("params").path("stream");
        boolean stream = !(streamNode.isBoolean() && !streamNode.booleanValue()
                || streamNode.isTextual() && streamNode.textValue().equals("false"));
        return new ChatRequest(json, model, List.copyOf(messages), stream, token, null);
    }

    private static ChatRequest invalid(String error) {
        return new ChatRequest(null, null, List.of(), true, null, error);
    }

    /** The body without its token; {@code null} if the body was not a JSON object. */
    public ObjectNode json() {
        return json;
    }

    public String model() {
        return model;
    }

    public List<ChatMessage> messages() {
        return messages;
    }

    /** False only when {@code params.stream} is {@code false}. */
    public boolean stream() {
        return stream;
    }

    /** The token as sent, or null. Never log or print it. */
    public String token() {
        return token;
    }

    /** Why the body is not a usable chat request, or null. */
    public String error() {
        return error;
    }

    /** Model and message count only: never the token, and the messages may be long. */
    @Override
    public String toString() {
        return "model=" + model + ", " + messages.size() + " message(s)" + (stream ? "" : ", stream=false");
    }
}
