package dev.chat852.mock.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chat852.ChatMessage;
import dev.chat852.Dialect;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.Fault;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a recording file strictly: anything the format does not allow is refused at load with where it
 * is (the source, line and column, and the field), never accepted and then served wrongly. Unknown
 * fields are ignored, as documented.
 */
final class RecordingReader {
    /** Strict: a duplicate key or trailing garbage is an error, not a silent choice. */
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** How Jackson points into its input inside a message; said here as the rest of the message says it. */
    private static final Pattern SOURCE_REFERENCE =
            Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");

    private final String json;
    private final String source;

    private RecordingReader(String json, String source) {
        this.json = json;
        this.source = source;
    }

    /**
     * Parses {@code json}; {@code source} names it in errors (a file, or {@code recording NAME}).
     *
     * @throws IllegalArgumentException {@code "SOURCE, line L, column C: FIELD what is wrong"}
     */
    static Recording parse(String json, String defaultName, String source) {
        // A byte order mark is not JSON, but editors write one: it is skipped, as RFC 8259 allows.
        String text = json.startsWith("\uFEFF") ? json.substring(1) : json;
        return new RecordingReader(text, source).read(defaultName);
    }

    private Recording read(String defaultName) {
        JsonNode root;
        try {
            root = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String why = SOURCE_REFERENCE.matcher(e.getOriginalMessage()).replaceAll("line $1, column $2");
            throw new IllegalArgumentException(source + position(at) + ": not valid JSON: " + why, e);
        }
        Field top = Field.ROOT;
        if (root == null || root.isMissingNode()) {
            throw invalid(top, "the file is empty: a recording is a JSON object");
        }
        if (!root.isObject()) {
            throw invalid(top, "not a JSON object: a recording is {\"response\": {...}}");
        }
        String name = defaultName;
        if (root.hasNonNull("name")) {
            name = string(root.get("name"), top.child("name"));
        }
        Dialect dialect = Dialect.CHAT852;
        if (root.hasNonNull("dialect")) {
            Field field = top.child("dialect");
            try {
                dialect = Dialect.of(string(root.get("dialect"), field));
            } catch (IllegalArgumentException e) {
                throw e instanceof Invalid ? e : invalid(field, "must be \"852\" or \"openai\", was \""
                        + root.get("dialect").textValue() + "\"");
            }
        }
        return Recording.builder()
                .name(name)
                .dialect(dialect)
                .request(request(root.get("request"), top.child("request")))
                .response(response(root.get("response"), top.child("response")))
                .build();
    }

    private RecordedRequest request(JsonNode node, Field at) {
        if (node == null || node.isNull()) {
            return RecordedRequest.any();
        }
        if (!node.isObject()) {
            throw invalid(at, "must be an object");
        }
        RecordedRequest.Builder b = RecordedRequest.builder();
        if (node.hasNonNull("model")) {
            b.model(string(node.get("model"), at.child("model")));
        }
        if (node.hasNonNull("messages")) {
            b.messages(messages(node.get("messages"), at.child("messages")));
        }
        return b.build();
    }

    /** As a chat request has them: {@code role} a string, {@code content} a string or any JSON (kept as its text). */
    private List<ChatMessage> messages(JsonNode array, Field at) {
        if (!array.isArray()) {
            throw invalid(at, "must be an array of {\"role\", \"content\"} objects");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode m = array.get(i);
            Field message = at.index(i);
            if (!m.isObject()) {
                throw invalid(message, "must be an object");
            }
            String role = m.hasNonNull("role") ? string(m.get("role"), message.child("role")) : "";
            JsonNode content = m.get("content");
            messages.add(new ChatMessage(role, content == null || content.isNull() ? ""
                    : content.isTextual() ? content.textValue() : Jsons.write(content)));
        }
        return messages;
    }

    private RecordedResponse response(JsonNode node, Field at) {
        if (node == null || !node.isObject()) {
            throw invalid(node == null ? Field.ROOT : at,
                    node == null ? "the recording has no \"response\" object" : "must be an object");
        }
        RecordedResponse.Builder b = RecordedResponse.builder();
        if (node.has("status")) {
            Field status = at.child("status");
            long code = whole(node.get("status"), status, "an HTTP status");
            if (code < 100 || code > 599) {
                throw invalid(status, "must be an HTTP status from 100 to 599, was " + raw(status));
            }
            b.status((int) code);
        }
        JsonNode headers = node.get("headers");
        if (headers != null && !headers.isNull()) {
            Field field = at.child("headers");
            if (!headers.isObject()) {
                throw invalid(field, "must be an object of header names to string values");
            }
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                Field header = field.child(h.getKey());
                String value = string(h.getValue(), header);
                try {
                    b.header(h.getKey(), value);
                } catch (IllegalArgumentException e) {
                    throw invalid(header, e.getMessage());
                }
            }
        }
        if (node.has("headersDelayMs")) {
            b.headersDelayMs(millis(node.get("headersDelayMs"), at.child("headersDelayMs")));
        }
        JsonNode chunks = node.get("chunks");
        if (chunks != null && !chunks.isNull()) {
            Field field = at.child("chunks");
            if (!chunks.isArray()) {
                throw invalid(field, "must be an array");
            }
            for (int i = 0; i < chunks.size(); i++) {
                b.chunk(chunk(chunks.get(i), field.index(i)));
            }
        }
        JsonNode faults = node.get("faults");
        if (faults != null && !faults.isNull()) {
            Field field = at.child("faults");
            if (!faults.isArray()) {
                throw invalid(field, "must be an array of strings");
            }
            for (int i = 0; i < faults.size(); i++) {
                Field fault = field.index(i);
                try {
                    b.fault(Fault.parse(string(faults.get(i), fault)));
                } catch (IllegalArgumentException e) {
                    throw e instanceof Invalid ? e : invalid(fault, e.getMessage());
                }
            }
        }
        return b.build();
    }

    private Chunk chunk(JsonNode node, Field at) {
        if (!node.isObject()) {
            throw invalid(at, "must be an object: {\"delayMs\": N, \"text\": \"...\"} or {\"delayMs\": N, \"base64\": \"...\"}");
        }
        long delayMs = node.has("delayMs") ? millis(node.get("delayMs"), at.child("delayMs")) : 0;
        JsonNode text = node.get("text");
        JsonNode base64 = node.get("base64");
        if ((text == null) == (base64 == null)) {
            throw invalid(at, "must have exactly one of \"text\" and \"base64\"");
        }
        if (text != null) {
            return Chunk.of(delayMs, string(text, at.child("text")));
        }
        Field field = at.child("base64");
        String encoded = string(base64, field);
        try {
            return Chunk.of(delayMs, Base64.getDecoder().decode(encoded));
        } catch (IllegalArgumentException e) {
            throw invalid(field, "is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private String string(JsonNode node, Field at) {
        if (!node.isTextual()) {
            throw invalid(at, "must be a string, was " + raw(at));
        }
        return node.textValue();
    }

    private long millis(JsonNode node, Field at) {
        long ms = whole(node, at, "a whole number of milliseconds");
        if (ms < 0 || ms > RecordedResponse.MAX_DELAY_MS) {
            throw invalid(at, "must be from 0 to " + RecordedResponse.MAX_DELAY_MS + " milliseconds (one day), was "
                    + raw(at));
        }
        return ms;
    }

    /** An integral JSON number that fits a long; {@code 1.5}, {@code 1e999} and {@code "7"} are refused. */
    private long whole(JsonNode node, Field at, String what) {
        if (!node.isNumber() || !node.canConvertToExactIntegral()) {
            throw invalid(at, "must be " + what + ", was " + raw(at));
        }
        if (!node.canConvertToLong()) {
            throw invalid(at, "is out of range, was " + raw(at));
        }
        return node.longValue();
    }

    private Invalid invalid(Field at, String problem) {
        JsonLocation location = locate(at.pointer);
        String field = at == Field.ROOT ? "" : at.where + " ";
        return new Invalid(source + position(location) + ": " + field + problem);
    }

    /** The value's text as written in the file (a number exactly as typed), else its JSON. */
    private String raw(Field at) {
        try (JsonParser p = STRICT.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME && at.pointer.equals(pointerOf(p, t))) {
                    return t.isScalarValue() ? (t == JsonToken.VALUE_STRING ? "a string" : p.getText())
                            : t == JsonToken.START_OBJECT ? "an object" : "an array";
                }
            }
        } catch (IOException e) {
            // parsed once already: cannot happen
        }
        return "?";
    }

    /** Where the value at {@code pointer} starts in the text (the enclosing value's start if it is missing). */
    private JsonLocation locate(JsonPointer pointer) {
        for (JsonPointer p = pointer; p != null; p = p.head()) {
            JsonLocation found = find(p);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private JsonLocation find(JsonPointer pointer) {
        try (JsonParser p = STRICT.createParser(json)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME && pointer.equals(pointerOf(p, t))) {
                    return p.currentTokenLocation();
                }
            }
        } catch (IOException e) {
            // parsed once already: cannot happen
        }
        return null;
    }

    private static JsonPointer pointerOf(JsonParser p, JsonToken t) {
        // A container's own context is the one it opens; its pointer is its parent's at this point.
        return t.isStructStart() ? p.getParsingContext().getParent().pathAsPointer()
                : p.getParsingContext().pathAsPointer();
    }

    private static String position(JsonLocation at) {
        return at == null ? "" : ", line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** A field as people read it ({@code response.chunks[2].delayMs}) and as a JSON pointer. */
    private static final class Field {
        static final Field ROOT = new Field("", JsonPointer.empty());

        final String where;
        final JsonPointer pointer;

        private Field(String where, JsonPointer pointer) {
            this.where = where;
            this.pointer = pointer;
        }

        Field child(String name) {
            boolean plain = name.matches("[A-Za-z_][A-Za-z0-9_-]*");
            String shown = plain ? (where.isEmpty() ? name : where + "." + name) : where + "[" + Jsons.write(name) + "]";
            return new Field(shown, pointer.appendProperty(name));
        }

        Field index(int i) {
            return new Field(where + "[" + i + "]", pointer.appendIndex(i));
        }
    }

    /** Already says where: not to be wrapped again. */
    static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message);
        }
    }
}
