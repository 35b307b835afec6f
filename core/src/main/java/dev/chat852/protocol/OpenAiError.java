package dev.chat852.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ApiException;
import java.util.Objects;
import java.util.Optional;

/**
 * An error as OpenAI-compatible servers send it: {@code {"error": {"message", "type", "param", "code"}}},
 * as the body of an error status or as an event inside a stream. The client {@linkplain #parse reads}
 * one into an {@link ApiException}; the mock server {@linkplain #toJson writes} one.
 *
 * <pre>{@code
 * String body = new OpenAiError("Incorrect API key provided", "invalid_request_error", "invalid_api_key").toJson();
 * OpenAiError.parse(body).map(e -> e.exception(401));   // an ApiException
 * }</pre>
 *
 * @param message what went wrong, for people
 * @param type the error's {@code type}, or {@code null}
 * @param code the error's {@code code} as text (servers send a string or a number), or {@code null}
 */
public record OpenAiError(String message, String type, String code) {

    public OpenAiError {
        Objects.requireNonNull(message, "message");
    }

    /** The error in a JSON body: present when it is an object with an {@code error} member that is not null. */
    public static Optional<OpenAiError> parse(String body) {
        JsonNode root = ProtocolJson.parseOrNull(body);
        JsonNode error = root == null || !root.isObject() ? null : root.get("error");
        return error == null || error.isNull() ? Optional.empty() : Optional.of(of(error));
    }

    /** The error from an {@code error} value: an object's fields, or a string (or any other value) as the message. */
    public static OpenAiError of(JsonNode error) {
        if (!error.isObject()) {
            return new OpenAiError(error.isTextual() ? error.textValue() : ProtocolJson.text(error), null, null);
        }
        JsonNode message = error.get("message");
        String text = message == null || message.isNull() ? ProtocolJson.text(error)
                : message.isTextual() ? message.textValue() : ProtocolJson.text(message);
        return new OpenAiError(text, textOrNull(error.get("type")), textOrNull(error.get("code")));
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : ProtocolJson.text(node);
    }

    /**
     * The client's exception for this error.
     *
     * @param httpStatus the response's status: an error status, or 200 for an error event in a stream
     */
    public ApiException exception(int httpStatus) {
        return new ApiException(httpStatus >= 300 ? httpStatus : 0, message, httpStatus, type, code);
    }

    /** The body a server sends: {@code {"error":{"message":…,"type":…,"param":null,"code":…}}}. */
    public String toJson() {
        ObjectNode root = ProtocolJson.NODES.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        error.put("code", code);
        return ProtocolJson.text(root);
    }
}
