package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.Chat852Exception;
import dev.chat852.wire.Header;

/** Where a {@link BodyReader} puts what it read: the call, which keeps it and hands it to the consumer. */
interface CallSink {
    /** A piece of the answer, never empty. */
    void text(String piece);

    void header(Header header);

    /** The whole answer's completion object, as the server sent it (whole answers only). */
    void completion(JsonNode completion);

    /** The body was read and the answer is complete. */
    void succeed();

    /** The answer failed; {@code abort} closes the connection (the body was not read to its end). */
    void fail(Chat852Exception error, boolean abort);
}
