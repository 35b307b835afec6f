package dev.chat852;

import dev.chat852.wire.Header;

/**
 * Callbacks for a streamed answer; see {@link ChatStream#listen}. Calls come one at a time, in stream
 * order, on the client's callback executor (by default the transport's I/O thread: return quickly).
 * Once {@link ChatStream#cancel()} has returned, no further call starts (one already running on
 * another thread may still finish).
 */
public interface ChatListener {

    /** A header block arrived. */
    default void onHeader(Header header) {
    }

    /** The next piece of the answer. */
    void onText(String text);

    /** The answer ended normally. */
    default void onComplete(ChatCompletion completion) {
    }

    /** The call failed; text delivered before stays valid, and {@link ChatStream#received()} holds it. */
    default void onError(Chat852Exception error) {
    }
}
