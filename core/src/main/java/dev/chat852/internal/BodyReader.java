package dev.chat852.internal;

import dev.chat852.Chat852Exception;
import dev.chat852.protocol.ChatApi;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * Reads one response body into a {@link CallSink}: a stream of answer text, a whole JSON answer, or an
 * error. Each reader bounds what it keeps. Called on the transport's thread, one call at a time.
 */
interface BodyReader {

    /** Bytes of the body, valid only during the call. */
    void onBody(ByteBuffer chunk);

    /** The body ended normally. */
    void onComplete();

    /**
     * The body will never continue (the connection failed, a timeout fired, the answer was too long):
     * what was held back, waiting for bytes that now cannot come, is delivered. Any thread; no body
     * call follows.
     */
    default void streamFailed() {
    }

    /**
     * Whether the body is read as the consumer asks ({@code true}: one read per request) or at once,
     * because nothing of it is delivered before its end.
     */
    boolean paced();

    /**
     * The reader for a response in {@code codec}'s dialect: a 2xx that is not JSON streams; JSON is a
     * whole answer; the rest is an error.
     */
    static BodyReader open(DialectCodec codec, int status, Map<String, List<String>> headers, CallSink sink,
            int maxHeaderBytes, int maxAnswerBytes) {
        List<String> types = headers.getOrDefault("content-type", List.of());
        boolean json = !types.isEmpty() && ChatApi.isJson(types.get(0));
        if (status < 200 || status >= 300) {
            return new ErrorBodyReader(codec, status, sink);
        }
        return json ? new JsonBodyReader(codec, status, sink, maxAnswerBytes)
                : new StreamBodyReader(sink, codec.streamParser(status, sink, maxHeaderBytes, maxAnswerBytes), maxAnswerBytes);
    }

    /** The reader for a response of the 852 dialect. */
    static BodyReader open(int status, Map<String, List<String>> headers, CallSink sink, int maxHeaderBytes,
            int maxAnswerBytes) {
        return open(Chat852Codec.INSTANCE, status, headers, sink, maxHeaderBytes, maxAnswerBytes);
    }

    /** The failure for an answer past {@code ChatClient.Builder.maxAnswerBytes}. */
    static Chat852Exception tooLarge(int maxAnswerBytes) {
        return new Chat852Exception("the answer is longer than the client's bound of " + maxAnswerBytes
                + " bytes (ChatClient.Builder.maxAnswerBytes); the connection was closed");
    }
}
