package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.wire.Header;

/** Where a {@link BodyReader} puts what it read: the call, which keeps it and hands it to the consumer. */
interface CallSink {
    /** A piece of the answer, never empty. */
    void text(String piece);

    void header(Header header);

    /** The whole answer's completion object, as the server sent it (whole answers only). */
    default void completion(JsonNode completion) {
        details(completion, null, null);
    }

    /**
     * What the server said about the answer besides its text, each {@code null} if it did not say: the
     * whole answer's completion object, the finish reason, the token usage. Later values replace earlier.
     */
    default void details(JsonNode completion, String finishReason, ChatCompletion.Usage usage) {
    }

    /** The body was read and the answer is complete. */
    void succeed();

    /** The answer failed; {@code abort} closes the connection (the body was not read to its end). */
    void fail(Chat852Exception error, boolean abort);
}
