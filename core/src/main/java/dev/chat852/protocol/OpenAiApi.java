package dev.chat852.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenAI-compatible Chat Completions protocol's fixed facts and request body:
 * {@code POST /v1/chat/completions} with {@code {"model", "messages", "stream", …}} and the key as
 * {@code Authorization: Bearer KEY}. The client {@linkplain #encode encodes} requests; the mock server
 * and the recorder {@linkplain #parse parse} them. The stream's format is in {@code dev.chat852.wire}
 * ({@code OpenAiStreamDecoder}); errors are {@link OpenAiError}s.
 *
 * <pre>{@code
 * byte[] body = OpenAiApi.encode(ChatRequest.of("Hello"), "gpt-4o-mini", true);
 * ApiRequest received = OpenAiApi.parse(body, "Bearer sk-…");   // received.token() is "sk-…"
 * }</pre>
 */
public final class OpenAiApi {
    /** OpenAI's own service. */
    public static final String DEFAULT_BASE_URL = "https://api.openai.com";
    /** The endpoint: {@code POST} to this path, appended to the base URL. */
    public static final String PATH = "/v1/chat/completions";
    /** The model a request that names none is sent with. */
    public static final String DEFAULT_MODEL = "gpt-4o-mini";
    /** The header that carries the key. */
    public static final String AUTHORIZATION = "Authorization";

    private static final String BEARER = "bearer ";

    private OpenAiApi() {
    }

    /** The headers of a request, in order: {@code Content-Type}, {@code Accept} and, with a key, {@code Authorization}. */
    public static Map<String, String> requestHeaders(boolean stream, String key) {
        Map<String, String> headers = new LinkedHashMap<>(ChatApi.requestHeaders(stream));
        if (key != null) {
            headers.put(AUTHORIZATION, "Bearer " + key);
        }
        return headers;
    }

    /**
     * The body for {@code request}: {@code model}, {@code messages}, {@code stream}, then the request's
     * parameters as top-level fields ({@code temperature}, {@code stream_options} …).
     *
     * @throws IllegalArgumentException if a parameter cannot be written as JSON; the message names it
     */
    public static byte[] encode(ChatRequest request, String model, boolean stream) {
        ObjectNode root = ProtocolJson.NODES.objectNode();
        root.put("model", model);
        ArrayNode array = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            array.addObject().put("role", m.role()).put("content", m.content());
        }
        root.put("stream", stream);
        request.params().forEach((name, value) -> {
            if (name.equals("model") || name.equals("messages")) {
                throw new IllegalArgumentException(name + " is set by the request itself, not as a parameter");
            }
            try {
                root.set(name, ProtocolJson.tree(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the parameter " + name + " cannot be written as JSON: " + e.getMessage(), e);
            }
        });
        try {
            return ProtocolJson.bytes(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the request " + e.getMessage(), e);
        }
    }

    /**
     * Reads a request as a server receives it. Never throws: see {@link ApiRequest} for what a bad body
     * gives. Streams only when {@code stream} is {@code true} (OpenAI's default is a whole answer).
     *
     * @param authorization the {@code Authorization} header's value, or {@code null}; a {@code Bearer}
     *     key becomes {@link ApiRequest#token()}
     */
    public static ApiRequest parse(byte[] body, String authorization) {
        String token = bearerKey(authorization);
        JsonNode node = ProtocolJson.parseOrNull(new String(body, StandardCharsets.UTF_8));
        if (node == null || !node.isObject()) {
            return ApiRequest.of(Dialect.OPENAI, null, null, List.of(), false, token, "the request body is not a JSON object");
        }
        ObjectNode json = (ObjectNode) node;
        String model = json.hasNonNull("model") ? json.get("model").asText() : null;
        List<ChatMessage> messages;
        try {
            messages = json.hasNonNull("messages") ? ApiRequest.parseMessages(json.get("messages"), "messages") : List.of();
        } catch (IllegalArgumentException e) {
            return ApiRequest.of(Dialect.OPENAI, json, model, List.of(), false, token, e.getMessage());
        }
        JsonNode stream = json.get("stream");
        return ApiRequest.of(Dialect.OPENAI, json, model, messages, stream != null && stream.asBoolean(false), token, null);
    }

    /** The key of an {@code Authorization: Bearer KEY} value, or {@code null} if it is not one. */
    public static String bearerKey(String authorization) {
        if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return null;
        }
        String key = authorization.substring(BEARER.length()).trim();
        return key.isEmpty() ? null : key;
    }
}
