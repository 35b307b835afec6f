package dev.chat852.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatRequest;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.protocol.OpenAiError;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.OpenAiStreamDecoder;
import dev.chat852.wire.OpenAiStreamHandler;
import dev.chat852.wire.SseDecoder;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAI-compatible dialect: the key as {@code Authorization: Bearer}, a Server-Sent Events stream
 * of {@code chat.completion.chunk}s, {@code chat.completion} for a whole answer, {@code {"error": {…}}}
 * for failures (as a body, or as an event inside the stream).
 */
final class OpenAiCodec implements DialectCodec {
    static final OpenAiCodec INSTANCE = new OpenAiCodec();

    /** Only for reading whole answers; never handed out. */
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiCodec() {
    }

    @Override
    public Map<String, String> requestHeaders(boolean stream, String token) {
        return OpenAiApi.requestHeaders(stream, token);
    }

    @Override
    public byte[] encode(ChatRequest request, String model, String token, boolean stream) {
        return OpenAiApi.encode(request, model, stream);
    }

    @Override
    public StreamParser streamParser(int status, CallSink sink, int maxHeaderBytes, int maxAnswerBytes) {
        return new Stream(status, sink, Math.min(maxAnswerBytes, SseDecoder.DEFAULT_MAX_EVENT_BYTES));
    }

    /** A {@code chat.completion}: the first choice's message is the text; or the error a server sent on 2xx. */
    @Override
    public void readWhole(int status, String text, CallSink sink) {
        JsonNode root = parse(text);
        JsonNode error = root == null || !root.isObject() ? null : root.get("error");
        if (error != null && !error.isNull()) {
            sink.fail(OpenAiError.of(error).exception(status), false);
            return;
        }
        if (root == null || !root.path("choices").isArray()) {
            sink.fail(new ProtocolException("the server answered HTTP " + status + " with JSON that is neither a"
                    + " chat.completion nor an {\"error\": …}: " + BoundedBody.excerpt(text)), false);
            return;
        }
        sink.completion(root);
        Chat852Codec.details(root, sink);
        String answer = root.path("choices").path(0).path("message").path("content").asText("");
        if (!answer.isEmpty()) {
            sink.text(answer);
        }
        sink.succeed();
    }

    @Override
    public Chat852Exception error(int status, String text) {
        Optional<OpenAiError> error = OpenAiError.parse(text);
        return error.isPresent() ? error.get().exception(status) : new HttpStatusException(status, BoundedBody.excerpt(text));
    }

    private static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The stream through the {@link OpenAiStreamDecoder}. */
    private static final class Stream implements StreamParser, OpenAiStreamHandler {
        private final int status;
        private final CallSink sink;
        private final OpenAiStreamDecoder decoder;

        Stream(int status, CallSink sink, int maxEventBytes) {
            this.status = status;
            this.sink = sink;
            this.decoder = new OpenAiStreamDecoder(this, maxEventBytes);
        }

        @Override
        public void feed(ByteBuffer chunk) {
            decoder.feed(chunk);
        }

        @Override
        public void finish() {
            decoder.finish(); // ends in onEnd, onServerError or onError
        }

        @Override
        public void streamFailed() {
            decoder.streamFailed();
        }

        @Override
        public void onText(String text) {
            sink.text(text);
        }

        @Override
        public void onFinish(String reason) {
            sink.details(null, reason, null);
        }

        @Override
        public void onUsage(JsonNode usage) {
            sink.details(null, null, ChatCompletion.Usage.of(usage));
        }

        @Override
        public void onServerError(JsonNode error) {
            sink.fail(OpenAiError.of(error).exception(status), true); // the server may go on: the connection is closed
        }

        @Override
        public void onEnd() {
            sink.succeed();
        }

        @Override
        public void onError(FramingException error) {
            sink.fail(new ProtocolException(error), true);
        }
    }
}
