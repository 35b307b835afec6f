package dev.chat852.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The {@link SseDecoder} with each event read as an OpenAI-compatible {@code chat.completion.chunk}:
 * what a client of {@code POST /v1/chat/completions} with {@code "stream": true} wants.
 *
 * <pre>{@code
 * StringBuilder answer = new StringBuilder();
 * OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(new OpenAiStreamHandler() {
 *     public void onText(String text)            { answer.append(text); }
 *     public void onServerError(JsonNode error)  { throw new IllegalStateException(error.toString()); }
 * });
 * decoder.feed(chunk, 0, chunk.length);   // as often as chunks arrive
 * decoder.finish();
 * }</pre>
 *
 * <p>Rules (see {@code docs/sse-dialect.md}): an event of type {@code message} whose data is
 * {@code [DONE]} ends the answer, and later events are ignored; data that is empty or blank is a
 * keep-alive; any other {@code message} data must be a JSON object, else the stream fails with
 * {@link FramingException.Kind#INVALID_EVENT}. An object with an {@code error} member, or any event of
 * type {@code error}, is the server's error ({@link OpenAiStreamHandler#onServerError}). Otherwise it is
 * a chunk: of its {@code choices}, the one with {@code index} 0 gives text ({@code delta.content}) and
 * the finish reason; a top-level {@code usage} object is the usage. Events of other types are ignored.
 * Data is decoded as UTF-8 before it is parsed, so invalid bytes in text become U+FFFD, as in the 852
 * decoder. Text is delivered as soon as its event is complete: nothing is held back.
 */
public final class OpenAiStreamDecoder {
    /** The data that ends an OpenAI stream. */
    public static final String DONE = "[DONE]";

    /** Only for reading chunks; never handed out. */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int EXCERPT = 200;

    private final OpenAiStreamHandler handler;
    private final SseDecoder events;
    /** [DONE] was seen, or the server's error, or a broken event: nothing more is delivered. */
    private boolean over;
    private boolean done;
    /** The server's error or a broken event: the stream does not end cleanly. */
    private boolean failed;

    /** Creates a decoder with the default event bound ({@link SseDecoder#DEFAULT_MAX_EVENT_BYTES}). */
    public OpenAiStreamDecoder(OpenAiStreamHandler handler) {
        this(handler, SseDecoder.DEFAULT_MAX_EVENT_BYTES);
    }

    /** Creates a decoder that rejects events longer than {@code maxEventBytes}. */
    public OpenAiStreamDecoder(OpenAiStreamHandler handler, int maxEventBytes) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.events = new SseDecoder(new Events(), maxEventBytes);
    }

    /** Decodes the remaining bytes of {@code input}; see {@link SseDecoder#feed(ByteBuffer)}. */
    public void feed(ByteBuffer input) {
        events.feed(input);
    }

    /** Decodes {@code length} bytes of {@code array} from {@code offset}. */
    public void feed(byte[] array, int offset, int length) {
        events.feed(array, offset, length);
    }

    /** Ends the stream: an event still open is read, then {@link OpenAiStreamHandler#onEnd()}; see {@link SseDecoder#finish()}. */
    public void finish() {
        events.finish();
    }

    /** Ends a stream that failed: an incomplete event is dropped and nothing more is called; see {@link SseDecoder#streamFailed()}. */
    public void streamFailed() {
        events.streamFailed();
    }

    /** Bytes fed so far. */
    public long bytesFed() {
        return events.bytesFed();
    }

    /** Whether the stream's {@code [DONE]} has been seen. */
    public boolean done() {
        return done;
    }

    /** Bytes kept between feeds (for tests of bounded memory). */
    int retainedBytes() {
        return events.retainedBytes();
    }

    private void event(String type, ByteBuffer data) {
        boolean error = type.equals("error");
        if (!error && !type.equals("message")) {
            return;
        }
        String text = utf8(data); // invalid bytes become U+FFFD before JSON sees them
        if (!error && text.isBlank()) {
            return;
        }
        if (!error && text.equals(DONE)) {
            over = true;
            done = true;
            return;
        }
        JsonNode json = parse(text);
        if (json == null || !json.isObject()) {
            if (error) {
                serverError(json != null ? json : TextNode.valueOf(text));
                return;
            }
            over = true;
            failed = true;
            String excerpt = text.length() <= EXCERPT ? text : text.substring(0, EXCERPT) + "…";
            handler.onError(new FramingException(FramingException.Kind.INVALID_EVENT, events.eventOffset(), excerpt,
                    "the event that started at byte " + events.eventOffset() + " is neither " + DONE
                            + " nor a JSON object: " + excerpt));
            return;
        }
        JsonNode serverError = json.get("error");
        if (serverError != null && !serverError.isNull()) {
            serverError(serverError);
        } else if (error) {
            serverError(json);
        } else {
            chunk(json);
        }
    }

    private void serverError(JsonNode error) {
        over = true;
        failed = true;
        handler.onServerError(error);
    }

    private void chunk(JsonNode json) {
        JsonNode choice = firstChoice(json.get("choices"));
        if (choice != null) {
            JsonNode content = choice.path("delta").get("content");
            if (content != null && content.isTextual() && !content.textValue().isEmpty()) {
                handler.onText(content.textValue());
            }
            JsonNode finish = choice.get("finish_reason");
            if (finish != null && finish.isTextual()) {
                handler.onFinish(finish.textValue());
            }
        }
        JsonNode usage = json.get("usage");
        if (usage != null && usage.isObject()) {
            handler.onUsage(usage);
        }
    }

    /** The choice with index 0 (or without an index, as some servers send it). */
    private static JsonNode firstChoice(JsonNode choices) {
        if (choices == null || !choices.isArray()) {
            return null;
        }
        for (JsonNode c : choices) {
            JsonNode index = c.get("index");
            if (c.isObject() && (index == null || index.isNull() || index.canConvertToInt() && index.intValue() == 0)) {
                return c;
            }
        }
        return null;
    }

    /** The event's data as text; the decoder hands out read-only views, so there is no array to read in place. */
    private static String utf8(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy);
        return new String(copy, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = MAPPER.readTree(text);
            return node == null || node.isMissingNode() ? null : node;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private final class Events implements SseHandler {
        @Override
        public void onEvent(String type, ByteBuffer data, String lastEventId) {
            if (!over) {
                event(type, data);
            }
        }

        @Override
        public void onEnd() {
            if (!failed) {
                handler.onEnd();
            }
        }

        @Override
        public void onError(FramingException error) {
            if (!over) {
                over = true;
                failed = true;
                handler.onError(error);
            }
        }
    }
}
