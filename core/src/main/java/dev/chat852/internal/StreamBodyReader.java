package dev.chat852.internal;

import dev.chat852.ProtocolException;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.nio.ByteBuffer;

/**
 * A streamed answer: the body through the {@link StreamDecoder}, at most {@code maxAnswerBytes} of it.
 * Synchronized because a failure may end the stream from the timer thread while the transport's thread
 * feeds it; once failed, it takes nothing more.
 */
final class StreamBodyReader implements BodyReader, StreamHandler {
    private final CallSink sink;
    private final StreamDecoder decoder;
    private final int maxAnswerBytes;
    private long received;
    private boolean failed;

    StreamBodyReader(CallSink sink, int maxHeaderBytes, int maxAnswerBytes) {
        this.sink = sink;
        this.decoder = new StreamDecoder(this, maxHeaderBytes);
        this.maxAnswerBytes = maxAnswerBytes;
    }

    @Override
    public synchronized void onBody(ByteBuffer chunk) {
        if (failed) {
            return;
        }
        long room = maxAnswerBytes - received;
        received += chunk.remaining();
        if (chunk.remaining() <= room) {
            decoder.feed(chunk);
            return;
        }
        decoder.feed(chunk.slice(chunk.position(), (int) room)); // what fits is delivered
        streamFailed();
        sink.fail(BodyReader.tooLarge(maxAnswerBytes), true);
    }

    @Override
    public synchronized void onComplete() {
        if (!failed) {
            decoder.finish(); // ends in onEnd or onError
        }
    }

    @Override
    public synchronized void streamFailed() {
        if (!failed) {
            failed = true;
            decoder.streamFailed(); // "cat" + the held "s": nothing the server sent is lost
        }
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
