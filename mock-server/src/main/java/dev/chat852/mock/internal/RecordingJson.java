package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.Dialect;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads ({@link RecordingReader}) and writes the recording file format (docs/mock-server.md); writing
 * puts one chunk per line so that recordings diff well.
 */
public final class RecordingJson {

    private RecordingJson() {
    }

    /**
     * Parses a recording.
     *
     * @throws IllegalArgumentException naming the recording, the line and column, and the field that is wrong
     */
    public static Recording parse(String json, String defaultName) {
        return RecordingReader.parse(json, defaultName, "recording " + defaultName);
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
        StringBuilder out = new StringBuilder();
        try {
            write(recording, extra, params, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
        return out.toString();
    }

    /** Writes the file form to {@code out} chunk by chunk, never holding all of it as one string. */
    public static void write(Recording recording, Map<String, String> extra, JsonNode params, Appendable out)
            throws IOException {
        out.append("{\n");
        out.append("  \"name\": ").append(Jsons.write(recording.name())).append(",\n");
        if (recording.dialect() != Dialect.CHAT852) { // absent means 852: older files stay as they were
            out.append("  \"dialect\": ").append(Jsons.write(recording.dialect().id())).append(",\n");
        }
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
        out.append("    \"status\": ").append(Integer.toString(response.status())).append(",\n");
        out.append("    \"headers\": ").append(Jsons.write(response.headers())).append(",\n");
        if (response.headersDelayMs() != 0) {
            out.append("    \"headersDelayMs\": ").append(Long.toString(response.headersDelayMs())).append(",\n");
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
            out.append(i == 0 ? "\n" : ",\n").append("      {\"delayMs\": ").append(Long.toString(c.delayMs()));
            if (c.isUtf8()) {
                out.append(", \"text\": ").append(Jsons.write(c.text()));
            } else {
                out.append(", \"base64\": ").append(Jsons.write(Base64.getEncoder().encodeToString(c.bytes())));
            }
            out.append('}');
        }
        out.append(chunks.isEmpty() ? "]\n" : "\n    ]\n");
        out.append("  }\n}\n");
    }
}
