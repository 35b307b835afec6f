package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.Fault;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiRequest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes the recording file format (docs/mock-server.md). Unknown fields are ignored on
 * reading; writing puts one chunk per line so that recordings diff well.
 */
public final class RecordingJson {

    private RecordingJson() {
    }

    /**
     * Parses a recording.
     *
     * @throws IllegalArgumentException naming the recording and the field that is wrong
     */
    public static Recording parse(String json, String defaultName) {
        JsonNode root = Jsons.parseOrNull(json);
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("recording " + defaultName + ": not a JSON object");
        }
        String name = root.hasNonNull("name") ? root.get("name").asText() : defaultName;
        try {
            return Recording.builder()
                    .name(name)
                    .request(request(root.get("request")))
                    .response(response(root.get("response")))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("recording " + name + ": " + e.getMessage(), e);
        }
    }

    private static RecordedRequest request(JsonNode node) {
        if (node == null || node.isNull()) {
            return RecordedRequest.any();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("request must be an object");
        }
        RecordedRequest.Builder b = RecordedRequest.builder();
        if (node.hasNonNull("model")) {
            b.model(node.get("model").asText());
        }
        if (node.hasNonNull("messages")) {
            b.messages(ApiRequest.parseMessages(node.get("messages"), "request.messages"));
        }
        return b.build();
    }

    private static RecordedResponse response(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("response is missing or not an object");
        }
        RecordedResponse.Builder b = RecordedResponse.builder();
        if (node.has("status")) {
            b.status((int) Math.min(999, integral(node.get("status"), "response.status")));
        }
        JsonNode headers = node.get("headers");
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject()) {
                throw new IllegalArgumentException("response.headers must be an object");
            }
            for (Map.Entry<String, JsonNode> h : headers.properties()) {
                b.header(h.getKey(), h.getValue().asText());
            }
        }
        if (node.has("headersDelayMs")) {
            b.headersDelayMs(integral(node.get("headersDelayMs"), "response.headersDelayMs"));
        }
        JsonNode chunks = node.get("chunks");
        if (chunks != null && !chunks.isNull()) {
            if (!chunks.isArray()) {
                throw new IllegalArgumentException("response.chunks must be an array");
            }
            for (int i = 0; i < chunks.size(); i++) {
                b.chunk(chunk(chunks.get(i), "response.chunks[" + i + "]"));
            }
        }
        JsonNode faults = node.get("faults");
        if (faults != null && !faults.isNull()) {
            if (!faults.isArray()) {
                throw new IllegalArgumentException("response.faults must be an array of strings");
            }
            for (JsonNode f : faults) {
                b.fault(Fault.parse(f.asText()));
            }
        }
        return b.build();
    }

    private static Chunk chunk(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        long delayMs = node.has("delayMs") ? integral(node.get("delayMs"), where + ".delayMs") : 0;
        JsonNode text = node.get("text");
        JsonNode base64 = node.get("base64");
        if ((text == null) == (base64 == null)) {
            throw new IllegalArgumentException(where + " must have exactly one of \"text\" and \"base64\"");
        }
        if (text != null) {
            if (!text.isTextual()) {
                throw new IllegalArgumentException(where + ".text must be a string");
            }
            return Chunk.of(delayMs, text.textValue());
        }
        try {
            return Chunk.of(delayMs, Base64.getDecoder().decode(base64.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".base64 is not valid base64", e);
        }
    }

    private static long integral(JsonNode node, String where) {
        if (node == null || !node.isNumber() || !node.canConvertToLong()) {
            throw new IllegalArgumentException(where + " must be a number");
        }
        long value = Math.round(node.doubleValue());
        if (node.canConvertToExactIntegral()) {
            value = node.longValue();
        }
        if (value < 0) {
            throw new IllegalArgumentException(where + " must be >= 0");
        }
        return value;
    }

    /** The file form of a recording. */
    public static String write(Recording recording) {
        return write(recording, Map.of(), null);
    }

    /**
     * The file form, with extra top-level string fields (after {@code name}) and, if not null, the
     * request's {@code params} for the reader's information.
     */
    public static String write(Recording recording, Map<String, String> extra, JsonNode params) {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"name\": ").append(Jsons.write(recording.name())).append(",\n");
        for (Map.Entry<String, String> e : extra.entrySet()) {
            out.append("  ").append(Jsons.write(e.getKey())).append(": ").append(Jsons.write(e.getValue())).append(",\n");
        }
        RecordedRequest request = recording.request();
        if (!request.isAny() || params != null) {
            Map<String, Object> req = new LinkedHashMap<>();
            request.model().ifPresent(m -> req.put("model", m));
            request.messages().ifPresent(ms -> req.put("messages", ms));
            if (params != null) {
                req.put("params", params);
            }
            out.append("  \"request\": ").append(Jsons.write(req)).append(",\n");
        }
        RecordedResponse response = recording.response();
        out.append("  \"response\": {\n");
        out.append("    \"status\": ").append(response.status()).append(",\n");
        out.append("    \"headers\": ").append(Jsons.write(response.headers())).append(",\n");
        if (response.headersDelayMs() != 0) {
            out.append("    \"headersDelayMs\": ").append(response.headersDelayMs()).append(",\n");
        }
        if (!response.faults().isEmpty()) {
            List<String> faults = new ArrayList<>();
            response.faults().forEach(f -> faults.add(f.toString()));
            out.append("    \"faults\": ").append(Jsons.write(faults)).append(",\n");
        }
        out.append("    \"chunks\": [");
        List<Chunk> chunks = response.chunks();
        for (int i = 0; i < chunks.size(); i++) {
            Chunk c = chunks.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("      {\"delayMs\": ").append(c.delayMs());
            if (c.isUtf8()) {
                out.append(", \"text\": ").append(Jsons.write(c.text()));
            } else {
                out.append(", \"base64\": ").append(Jsons.write(Base64.getEncoder().encodeToString(c.bytes())));
            }
            out.append('}');
        }
        out.append(chunks.isEmpty() ? "]\n" : "\n    ]\n");
        out.append("  }\n}\n");
        return out.toString();
    }
}
