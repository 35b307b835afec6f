package dev.chat852.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A request body as the API defines it: {@code {"model", "token", "messages": [{"role", "content"}],
 * "params": {"n", …, "stream"}}}. The client {@linkplain #encode encodes} one per call; a server (the
 * mock, the recorder) {@linkplain #parse parses} what arrived.
 *
 * <pre>{@code
 * byte[] body = ApiRequest.encode(ChatRequest.of("你好"), ChatApi.DEFAULT_MODEL, token, true);
 * ApiRequest received = ApiRequest.parse(body);
 * received.messages();    // [ChatMessage[role=user, content=你好]]
 * }</pre>
 *
 * <p>A server reads an OpenAI-compatible request into the same type ({@link OpenAiApi#parse}), with its
 * {@link #dialect()} saying which it was, so that both are matched and logged alike.
 *
 * <p>Parsing never throws: a body that is not a usable request still gives an {@code ApiRequest}, with
 * {@link #problem()} saying what is wrong and whatever could be read (so a server can log it). The
 * token is split off when parsing: {@link #json()} never holds it, and {@link #token()} is for checking
 * and forwarding only, never for printing; {@link #toString()} leaves it out.
 */
public final class ApiRequest {
    private final Dialect dialect;
    private final ObjectNode json;
    private final String model;
    private final List<ChatMessage> messages;
    private final boolean stream;
    private final String token;
    private final String problem;

    private ApiRequest(Dialect dialect, ObjectNode json, String model, List<ChatMessage> messages, boolean stream,
            String token, String problem) {
        this.dialect = dialect;
        this.json = json;
        this.model = model;
        this.messages = List.copyOf(messages);
        this.stream = stream;
        this.token = token;
        this.problem = problem;
    }

    /**
     * The body for {@code request}. {@code params.n} is 1 unless the request sets it, as in the vendor's
     * sample; {@code params.stream} is {@code stream}, whatever the request's params say.
     *
     * @param model the model to ask for (the request's own, or the client's default)
     * @param token the API token, or {@code null} to send none (a local mock may not ask for one)
     * @throws IllegalArgumentException if a parameter cannot be written as JSON; the message names it
     */
    public static byte[] encode(ChatRequest request, String model, String token, boolean stream) {
        ObjectNode root = ProtocolJson.NODES.objectNode();
        root.put("model", model);
        if (token != null) {
            root.put("token", token);
        }
        ArrayNode array = root.putArray("messages");
        for (ChatMessage m : request.messages()) {
            array.addObject().put("role", m.role()).put("content", m.content());
        }
        ObjectNode params = root.putObject("params");
        params.put("n", 1);
        request.params().forEach((name, value) -> {
            try {
                params.set(name, ProtocolJson.tree(value));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("params." + name + " cannot be written as JSON: " + e.getMessage(), e);
            }
        });
        params.put("stream", stream);
        try {
            return ProtocolJson.bytes(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the request " + e.getMessage(), e);
        }
    }

    /** Reads a request body; see the class comment for what a bad one gives. */
    public static ApiRequest parse(byte[] body) {
        JsonNode node = ProtocolJson.parseOrNull(new String(body, StandardCharsets.UTF_8));
        if (node == null || !node.isObject()) {
            return of(Dialect.CHAT852, null, null, List.of(), true, null, "the request body is not a JSON object");
        }
        ObjectNode json = (ObjectNode) node;
        JsonNode tokenNode = json.remove("token");
        String token = tokenNode == null || tokenNode.isNull() ? null : tokenNode.asText();
        String model = json.hasNonNull("model") ? json.get("model").asText() : null;
        List<ChatMessage> messages;
        try {
            messages = json.hasNonNull("messages") ? parseMessages(json.get("messages"), "messages") : List.of();
        } catch (IllegalArgumentException e) {
            return of(Dialect.CHAT852, json, model, List.of(), true, token, e.getMessage());
        }
        // The client always says; when it does not, streaming is what the vendor's sample page does.
        JsonNode streamNode = json.path("params").path("stream");
        boolean stream = !(streamNode.isBoolean() && !streamNode.booleanValue()
                || streamNode.isTextual() && streamNode.textValue().equals("false"));
        return of(Dialect.CHAT852, json, model, messages, stream, token, null);
    }

    /** A parsed request of either dialect; the json must not hold the token. */
    static ApiRequest of(Dialect dialect, ObjectNode json, String model, List<ChatMessage> messages, boolean stream,
            String token, String problem) {
        return new ApiRequest(dialect, json, model, messages, stream, token, problem);
    }

    /**
     * A {@code messages} array: each element's {@code role} and {@code content}; content that is not a
     * string is kept as its JSON text, a missing or null one as empty.
     *
     * @param where how to name the array in an error, such as {@code "request.messages"}
     * @throws IllegalArgumentException naming {@code where} (and the index) if it is not an array of objects
     */
    public static List<ChatMessage> parseMessages(JsonNode array, String where) {
        if (!array.isArray()) {
            throw new IllegalArgumentException(where + " must be an array");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            if (!m.isObject()) {
                throw new IllegalArgumentException(where + "[" + i + "] must be an object");
            }
            JsonNode content = m.get("content");
            messages.add(new ChatMessage(m.path("role").asText(""), content == null || content.isNull() ? ""
                    : content.isTextual() ? content.textValue() : ProtocolJson.text(content)));
        }
        return messages;
    }

    /** What makes the body unusable as a chat request, if anything. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** A copy of the body without its {@code token}; {@code null} if the body was not a JSON object. */
    public ObjectNode json() {
        return json == null ? null : json.deepCopy();
    }

    /** Which protocol the request was sent in: {@link #parse} gives {@code CHAT852}, {@link OpenAiApi#parse} {@code OPENAI}. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * What the request asks of the model besides the conversation, as a copy: the 852 body's
     * {@code params}; for an OpenAI request, every top-level field but {@code model} and {@code messages}.
     * {@code null} if there is none (or the body was not a JSON object).
     */
    public ObjectNode params() {
        if (json == null) {
            return null;
        }
        if (dialect == Dialect.CHAT852) {
            JsonNode params = json.get("params");
            return params != null && params.isObject() ? ((ObjectNode) params).deepCopy() : null;
        }
        ObjectNode rest = json.deepCopy();
        rest.remove(List.of("model", "messages"));
        return rest;
    }

    /** The {@code model}, or {@code null} if absent. */
    public String model() {
        return model;
    }

    /** The {@code messages}; empty if absent or unusable. */
    public List<ChatMessage> messages() {
        return messages;
    }

    /**
     * Whether the answer is to stream: for the 852 dialect, unless {@code params.stream} is {@code false}
     * (or {@code "false"}); for the OpenAI dialect, only when {@code stream} is {@code true}.
     */
    public boolean stream() {
        return stream;
    }

    /** The token as sent (for OpenAI, the {@code Authorization: Bearer} key), or {@code null}. Never log or print it. */
    public String token() {
        return token;
    }

    /** The model and how many messages; never the token, and the messages may be long. */
    @Override
    public String toString() {
        return "model=" + model + ", " + messages.size() + " message(s)" + (stream ? "" : ", stream=false");
    }
}
