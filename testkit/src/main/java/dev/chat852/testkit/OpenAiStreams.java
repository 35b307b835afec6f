package dev.chat852.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a recorded OpenAI stream says, read the obvious way (the whole body, split at blank lines, each
 * {@code data: } line parsed with Jackson): the reference the clients are compared with. It handles
 * the LF-only streams OpenAI sends, which is what the recordings here hold; the decoder's own tests
 * cover every other line ending.
 */
public final class OpenAiStreams {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiStreams() {
    }

    /** The answer: its text, its non-empty content deltas in order, finish reason and usage (null if none). */
    public record Answer(String text, List<String> deltas, String finishReason, JsonNode usage) {
    }

    public static Answer read(byte[] streamBody) {
        String body = new String(streamBody, StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        List<String> deltas = new ArrayList<>();
        String finish = null;
        JsonNode usage = null;
        for (String event : body.split("\n\n")) {
            if (!event.startsWith("data: ") || event.equals("data: [DONE]")) {
                continue;
            }
            JsonNode chunk;
            try {
                chunk = MAPPER.readTree(event.substring("data: ".length()));
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
            JsonNode choice = chunk.path("choices").path(0);
            String content = choice.path("delta").path("content").asText("");
            if (!content.isEmpty()) {
                text.append(content);
                deltas.add(content);
            }
            if (choice.path("finish_reason").isTextual()) {
                finish = choice.get("finish_reason").textValue();
            }
            if (chunk.path("usage").isObject()) {
                usage = chunk.get("usage");
            }
        }
        return new Answer(text.toString(), deltas, finish, usage);
    }
}
