package dev.chat852.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.ChatRequest;

/** Writes the request body the API expects. */
final class RequestJson {
    private RequestJson() {
    }

    /**
     * {@code {"model", "token", "messages", "params": {…, "stream"}}}; {@code n} defaults to 1 as in the
     * vendor's sample. The token is left out when there is none (a local mock may not ask for one).
     */
    static byte[] encode(String model, String token, ChatRequest request, boolean stream) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("model", model);
        if (token != null) {
            root.put("token", token);
        }
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            messages.addObject().put("role", m.role()).put("content", m.content());
        }
        ObjectNode params = root.putObject("params");
        params.put("n", 1);
        request.params().forEach((name, value) -> {
            try {
                params.set(name, Json.MAPPER.valueToTree(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("params." + name + " cannot be written as JSON: " + e.getMessage(), e);
            }
        });
        params.put("stream", stream);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request cannot be written as JSON", e);
        }
    }
}
