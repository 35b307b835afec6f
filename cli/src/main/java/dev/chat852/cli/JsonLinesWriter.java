package dev.chat852.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.wire.Header;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a decoded stream as JSON lines: one object per event, in stream order, UTF-8, {@code \n}
 * after each, non-ASCII characters as they are. The events, as documented in {@code docs/cli.md}:
 *
 * <pre>{@code
 * {"type":"header","raw":"{\"apiDate\":\"2026-11-25\"}","json":{"apiDate":"2026-11-25"}}
 * {"type":"text","text":"你好, "}
 * {"type":"text","text":"world"}
 * {"type":"finish","reason":"stop"}                (OpenAI dialect, when sent)
 * {"type":"usage","usage":{"prompt_tokens":9,…}}   (OpenAI dialect, when sent)
 * {"type":"end"}                                   (or {"type":"error","message":"…"})
 * }</pre>
 *
 * <p>Output is buffered: call {@link #flush()} when a reader should see it. Never closes the stream.
 */
final class JsonLinesWriter implements Flushable {
    /** Writes header trees; never changed after this line. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final JsonGenerator json;

    JsonLinesWriter(OutputStream out) throws IOException {
        // Without COMBINE_…, Jackson would write characters outside the BMP (emoji) as escaped surrogate pairs.
        json = MAPPER.writer()
                .with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .createGenerator(out, JsonEncoding.UTF8);
        json.setRootValueSeparator(null); // endLine() ends each value, not Jackson's default space
    }

    /** {@code {"type":"text","text":…}}: one piece of answer text. */
    void text(String text) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "text");
        json.writeStringField("text", text);
        endLine();
    }

    /** {@code {"type":"header","raw":…,"json":…}}: {@code json} is JSON null when the block is not JSON. */
    void header(Header header) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "header");
        json.writeStringField("raw", header.raw());
        json.writeFieldName("json");
        if (header.json() == null) {
            json.writeNull();
        } else {
            json.writeTree(header.json());
        }
        endLine();
    }

    /** {@code {"type":"finish","reason":…}}: why the model stopped (OpenAI dialect). */
    void finish(String reason) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "finish");
        json.writeStringField("reason", reason);
        endLine();
    }

    /** {@code {"type":"usage","usage":{…}}}: the token counts the server reported (OpenAI dialect). */
    void usage(JsonNode usage) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "usage");
        json.writeFieldName("usage");
        json.writeTree(usage);
        endLine();
    }

    /** {@code {"type":"end"}}: the stream ended cleanly. */
    void end() throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "end");
        endLine();
    }

    /** {@code {"type":"error","message":…}}: the stream failed; nothing follows. */
    void error(String message) throws IOException {
        json.writeStartObject();
        json.writeStringField("type", "error");
        json.writeStringField("message", message);
        endLine();
    }

    /** Writes buffered lines through to the stream and flushes it. */
    @Override
    public void flush() throws IOException {
        json.flush();
    }

    private void endLine() throws IOException {
        json.writeEndObject();
        json.writeRaw('\n');
    }
}
