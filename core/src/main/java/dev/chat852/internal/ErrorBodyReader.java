package dev.chat852.internal;

import dev.chat852.ApiException;
import dev.chat852.HttpStatusException;
import dev.chat852.protocol.ApiEnvelope;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * A response with an error status: the API's envelope if the body is one, else the status and the
 * start of the body. Only the first {@value #MAX_ERROR_BYTES} bytes are read.
 */
final class ErrorBodyReader implements BodyReader {
    /** Of an HTTP error body, only this much is read: enough for an excerpt. */
    static final int MAX_ERROR_BYTES = 64 << 10;

    private final int status;
    private final CallSink sink;
    private final BoundedBody body = new BoundedBody(MAX_ERROR_BYTES);

    ErrorBodyReader(int status, CallSink sink) {
        this.status = status;
        this.sink = sink;
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        body.add(chunk);
        if (body.full()) {
            onComplete(); // enough for an excerpt: stop reading
        }
    }

    @Override
    public void onComplete() {
        String text = body.text();
        Optional<ApiEnvelope> envelope = ApiEnvelope.parse(text);
        if (envelope.isPresent() && envelope.get().message() != null) {
            sink.fail(new ApiException(envelope.get().code(), envelope.get().message(), status), true);
        } else {
            sink.fail(new HttpStatusException(status, BoundedBody.excerpt(text)), true);
        }
    }

    @Override
    public boolean paced() {
        return false;
    }
}
