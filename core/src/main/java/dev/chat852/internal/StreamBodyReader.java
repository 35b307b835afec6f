package dev.chat852.internal;

import java.nio.ByteBuffer;

/**
 * A streamed answer: the body through the dialect's {@link StreamParser}, at most {@code maxAnswerBytes}
 * of it. Synchronized because a failure may end the stream from the timer thread while the transport's
 * thread feeds it; once failed, it takes nothing more.
 */
final class StreamBodyReader implements BodyReader {
    private final CallSink sink;
    private final StreamParser parser;
    private final int maxAnswerBytes;
    private long received;
    private boolean failed;

    StreamBodyReader(CallSink sink, StreamParser parser, int maxAnswerBytes) {
        this.sink = sink;
        this.parser = parser;
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
            parser.feed(chunk);
            return;
        }
        parser.feed(chunk.slice(chunk.position(), (int) room)); // what fits is delivered
        streamFailed();
        sink.fail(BodyReader.tooLarge(maxAnswerBytes), true);
    }

    @Override
    public synchronized void onComplete() {
        if (!failed) {
            parser.finish(); // ends in the sink's succeed or fail
        }
    }

    @Override
    public synchronized void streamFailed() {
        if (!failed) {
            failed = true;
            parser.streamFailed(); // "cat" + the held "s": nothing the server sent is lost
        }
    }

    @Override
    public boolean paced() {
        return true;
    }
}
