package dev.chat852.internal;

import dev.chat852.ProtocolException;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.nio.ByteBuffer;

/** A streamed answer: the body through the {@link StreamDecoder}, at most {@code maxAnswerBytes} of it. */
final class StreamBodyReader implements BodyReader, StreamHandler {
    private final CallSink sink;
    private final StreamDecoder decoder;
    private final int maxAnswerBytes;
    private long received;

    StreamBodyReader(CallSink sink, int maxHeaderBytes, int maxAnswerBytes) {
        this.sink = sink;
        this.decoder = new StreamDecoder(this, maxHeaderBytes);
        this.maxAnswerBytes = maxAnswerBytes;
    }

    @Override
    public void onBody(ByteBuffer chunk) {
        long room = maxAnswerBytes - received;
        received += chunk.remaining();
        if (chunk.remaining() <= room) {
            decoder.feed(chunk);
            return;
        }
        decoder.feed(chunk.slice(chunk.position(), (int) room)); // what fits is delivered
        sink.fail(BodyReader.tooLarge(maxAnswerBytes), true);
    }

    @Override
    public void onComplete() {
        decoder.finish(); // ends in onEnd or onError
    }

    @Override
    public boolean paced() {
        return true;
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
