package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ApiException;
import dev.chat852.ProtocolException;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.wire.Header;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A JSON answer on HTTP 2xx: the whole, non-streamed completion in the API's envelope, or the API's
 * error in it. Read whole, at most {@code maxAnswerBytes}, then delivered as a header (the envelope's
 * {@code data.info}) and the text.
 */
final class JsonBodyReader implements BodyReader {
    private final int status;
    private final CallSink sink;
    private final int maxAnswerBytes;
    private final BoundedBody body;

    JsonBodyReader(int status, CallSink sink, int maxAnswerBytes) {
        this.status = status;
        this.sink = sink;
        this.maxAnswerBytes = maxAnswerBytes;
        this.body = new BoundedBody(maxAnswerBytes);
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        if (chunk.remaining() > body.room()) {
            sink.fail(BodyReader.tooLarge(maxAnswerBytes), true);
            return;
        }
        body.add(chunk);
    }

    @Override
    public void onComplete() {
        String text = body.text();
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

    @Override
    public boolean paced() {
        return false;
    }
}
