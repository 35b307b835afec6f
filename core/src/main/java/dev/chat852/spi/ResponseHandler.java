package dev.chat852.spi;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Receives one exchange's response from a {@link Transport}. Calls never overlap. */
public interface ResponseHandler {

    /**
     * The status line and headers arrived. Header names are lower case; values are in the order
     * received. Body chunks follow only once {@link Exchange#request} allows them.
     */
    void onResponse(int status, Map<String, List<String>> headers);

    /**
     * Bytes of the body, as read from the network (chunked transfer coding already removed). The buffer
     * is valid only during the call: read it, don't keep it. Never empty.
     */
    void onBody(ByteBuffer chunk);

    /** The body ended normally. */
    void onComplete();

    /** The exchange failed: before the response (refused, timed out) or during the body (reset). */
    void onError(Throwable error);
}
