package dev.chat852.internal;

import java.nio.ByteBuffer;

/**
 * A JSON answer on HTTP 2xx: the whole, non-streamed completion, or the API's error, in the dialect's
 * form. Read whole, at most {@code maxAnswerBytes}, then handed to the dialect, which delivers its
 * header (852: the envelope's {@code data.info}), details and text.
 */
final class JsonBodyReader implements BodyReader {
    private final DialectCodec codec;
    private final int status;
    private final CallSink sink;
    private final int maxAnswerBytes;
    private final BoundedBody body;

    JsonBodyReader(DialectCodec codec, int status, CallSink sink, int maxAnswerBytes) {
        this.codec = codec;
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
        codec.readWhole(status, body.text(), sink);
    }

    @Override
    public boolean paced() {
        return false;
    }
}
