package dev.chat852.internal;

import java.nio.ByteBuffer;

/**
 * A response with an error status: the API's error if the body is one in the dialect's form, else the
 * status and the start of the body. Only the first {@value #MAX_ERROR_BYTES} bytes are read.
 */
final class ErrorBodyReader implements BodyReader {
    /** Of an HTTP error body, only this much is read: enough for an excerpt. */
    static final int MAX_ERROR_BYTES = 64 << 10;

    private final DialectCodec codec;
    private final int status;
    private final CallSink sink;
    private final BoundedBody body = new BoundedBody(MAX_ERROR_BYTES);

    ErrorBodyReader(DialectCodec codec, int status, CallSink sink) {
        this.codec = codec;
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
        sink.fail(codec.error(status, body.text()), true);
    }

    @Override
    public boolean paced() {
        return false;
    }
}
