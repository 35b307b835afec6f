package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatRequest;
import dev.chat852.HttpStatusException;
import dev.chat852.ProtocolException;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;

/** The 852 dialect: the token in the body, the {@code start852} stream, the {@code {code, message, data}} envelope. */
final class Chat852Codec implements DialectCodec {
    static final Chat852Codec INSTANCE = new Chat852Codec();

    private Chat852Codec() {
    }

    @Override
    public Map<String, String> requestHeaders(boolean stream, String token) {
        return ChatApi.requestHeaders(stream);
    }

    @Override
    public byte[] encode(ChatRequest request, String model, String token, boolean stream) {
        return ApiRequest.encode(request, model, token, stream);
    }

    @Override
    public StreamParser streamParser(int status, CallSink sink, int maxHeaderBytes, int maxAnswerBytes) {
        return new Stream(sink, maxHeaderBytes);
    }

    /** The documented envelope: {@code data.completion} and {@code data.info}, or the API's error in it. */
    @Override
    public void readWhole(int status, String text, CallSink sink) {
        Optional<ApiEnvelope> parsed = ApiEnvelope.parse(text);
        if (parsed.isEmpty()) {
            sink.fail(new ProtocolException("the server answered HTTP " + status + " with JSON that is not the API's"
                    + " {code, message, data} wrapper: " + BoundedBody.excerpt(text)), false);
            return;
        }
        ApiEnvelope envelope = parsed.get();
        if (!envelope.success()) {
            sink.fail(new ApiException(envelope.code(), envelope.messageOrEmpty(), status), false);
            return;
        }
        JsonNode completion = envelope.data().path("completion");
        if (!completion.isMissingNode()) {
            sink.completion(completion);
            details(completion, sink);
        }
        JsonNode info = envelope.data().get("info");
        if (info != null && !info.isNull()) {
            sink.header(new Header(info.toString(), info));
        }
        String answer = completion.path("choices").path(0).path("message").path("content").asText("");
        if (!answer.isEmpty()) {
            sink.text(answer);
        }
        sink.succeed();
    }

    /** A {@code chat.completion}'s first finish reason and its usage, when it has them (either dialect's whole answer). */
    static void details(JsonNode completion, CallSink sink) {
        JsonNode finish = completion.path("choices").path(0).get("finish_reason");
        JsonNode usage = completion.get("usage");
        String reason = finish != null && finish.isTextual() ? finish.textValue() : null;
        ChatCompletion.Usage counts = usage != null && usage.isObject() ? ChatCompletion.Usage.of(usage) : null;
        if (reason != null || counts != null) {
            sink.details(null, reason, counts);
        }
    }

    @Override
    public Chat852Exception error(int status, String text) {
        Optional<ApiEnvelope> envelope = ApiEnvelope.parse(text);
        if (envelope.isPresent() && envelope.get().message() != null) {
            return new ApiException(envelope.get().code(), envelope.get().message(), status);
        }
        return new HttpStatusException(status, BoundedBody.excerpt(text));
    }

    /** The stream through the {@link StreamDecoder}. */
    private static final class Stream implements StreamParser, StreamHandler {
        private final CallSink sink;
        private final StreamDecoder decoder;

        Stream(CallSink sink, int maxHeaderBytes) {
            this.sink = sink;
            this.decoder = new StreamDecoder(this, maxHeaderBytes);
        }

        @Override
        public void feed(ByteBuffer chunk) {
            decoder.feed(chunk);
        }

        @Override
        public void finish() {
            decoder.finish(); // ends in onEnd or onError
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
        public void onHeader(Header header) {
            sink.header(header);
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
