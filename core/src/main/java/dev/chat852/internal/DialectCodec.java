package dev.chat852.internal;

import dev.chat852.Chat852Exception;
import dev.chat852.ChatRequest;
import dev.chat852.Dialect;
import java.util.Map;

/**
 * The dialect SPI: what differs between the protocols a client can speak, and nothing else. A call
 * asks its client's codec how to encode the request and, by the response's kind, how to read the body:
 * a stream ({@link #streamParser}), a whole JSON answer ({@link #readWhole}), an error ({@link #error}).
 * Everything around (retries, timers, bounds, events, statistics, the four consumption styles) is the
 * same call for every dialect. Not exported: a dialect is added to core, beside these two.
 */
interface DialectCodec {

    /** The codec of {@code dialect}. */
    static DialectCodec of(Dialect dialect) {
        return dialect == Dialect.OPENAI ? OpenAiCodec.INSTANCE : Chat852Codec.INSTANCE;
    }

    /** The protocol's request headers, the credential included when the protocol sends it as one. */
    Map<String, String> requestHeaders(boolean stream, String token);

    /** The request body. */
    byte[] encode(ChatRequest request, String model, String token, boolean stream);

    /** A decoder for a streamed answer's body. */
    StreamParser streamParser(int status, CallSink sink, int maxHeaderBytes, int maxAnswerBytes);

    /** A whole JSON answer on a 2xx status: its text, details and headers, then success; or its failure. */
    void readWhole(int status, String body, CallSink sink);

    /** The failure for an error status whose body (its first 64 KiB) is {@code body}. */
    Chat852Exception error(int status, String body);
}
