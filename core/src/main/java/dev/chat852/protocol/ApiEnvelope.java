package dev.chat852.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The wrapper around every JSON answer: {@code {"code": 200, "message": "成功", "data": …}} for a whole
 * answer, {@code {"code": <not 200>, "message": "…", "data": null}} for an error (usually on HTTP 200).
 *
 * <pre>{@code
 * String body = ApiEnvelope.error(401, "token无效");           // what a server sends
 * ApiEnvelope.parse(body).filter(e -> !e.success())             // what a client reads
 *         .ifPresent(e -> System.out.println(e.code() + " " + e.message()));
 * }</pre>
 *
 * @param code the {@code code}: {@link ChatApi#SUCCESS_CODE} for success
 * @param message the {@code message} as text, or {@code null} if the field is absent
 * @param data the {@code data}; a null node if absent
 */
public record ApiEnvelope(int code, String message, JsonNode data) {

    public ApiEnvelope {
        Objects.requireNonNull(data, "data");
    }

    /**
     * The envelope of a JSON text: present when it is an object whose {@code code} is an integer (the
     * envelope's one required field), empty for anything else, invalid JSON included.
     */
    public static Optional<ApiEnvelope> parse(String json) {
        JsonNode root = ProtocolJson.parseOrNull(json);
        JsonNode code = root == null ? null : root.get("code");
        if (code == null || !code.canConvertToInt()) {
            return Optional.empty();
        }
        String message = root.has("message") ? root.path("message").asText("") : null;
        JsonNode data = root.get("data");
        return Optional.of(new ApiEnvelope(code.intValue(), message, data == null ? NullNode.getInstance() : data));
    }

    /** An error envelope as JSON text: {@code {"code":CODE,"message":MESSAGE,"data":null}}. */
    public static String error(int code, String message) {
        return ProtocolJson.text(new ApiEnvelope(code, Objects.requireNonNull(message, "message"),
                NullNode.getInstance()).toJson());
    }

    /** A success envelope around {@code data}, with the service's own success message, as JSON text. */
    public static String success(JsonNode data) {
        return ProtocolJson.text(new ApiEnvelope(ChatApi.SUCCESS_CODE, ChatApi.SUCCESS_MESSAGE, data).toJson());
    }

    /**
     * This envelope as a new JSON object, fields in the service's order; a server may add fields of its
     * own before sending it.
     */
    public ObjectNode toJson() {
        ObjectNode root = ProtocolJson.NODES.objectNode();
        root.put("code", code);
        if (message != null) {
            root.put("message", message);
        }
        root.set("data", data);
        return root;
    }

    /** Whether {@link #code()} is the success code. */
    public boolean success() {
        return code == ChatApi.SUCCESS_CODE;
    }

    /** The {@code message}, or empty text if the field was absent. */
    public String messageOrEmpty() {
        return message == null ? "" : message;
    }
}
