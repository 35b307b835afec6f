package dev.chat852.wire;

/**
 * The stream broke the framing rules: a header block was never closed, or grew past its bound; or, in
 * an event stream (OpenAI-compatible SSE), an event grew past its bound or its data was not a chunk.
 *
 * <p>It is reported only after all answer text that came before it has been delivered, so what the
 * server sent up to that point is never lost; {@link #partialHeader()} holds the header bytes that
 * did arrive (at most the configured bound).
 *
 * <p>The decoder knows nothing of the client above it: a {@code ChatClient} reports this as the cause of
 * a {@code dev.chat852.ProtocolException}.
 */
public final class FramingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What rule the stream broke. */
    public enum Kind {
        /** The stream ended inside a {@code start852} block, before its {@code end852}. */
        UNTERMINATED_HEADER,
        /** A header block grew past the decoder's bound ({@link FrameDecoder#maxHeaderBytes()}). */
        HEADER_TOO_LARGE,
        /** An event's data grew past the bound of an {@link SseDecoder} ({@link SseDecoder#maxEventBytes()}). */
        EVENT_TOO_LARGE,
        /** An event of an OpenAI-compatible stream is not {@code [DONE]} and not a JSON object ({@link OpenAiStreamDecoder}). */
        INVALID_EVENT
    }

    private final Kind kind;
    private final long streamOffset;
    private final String partialHeader;

    /**
     * @param kind the rule that was broken
     * @param streamOffset byte offset in the stream at which the offending block's {@code start852} (or
     *     the offending event's first line) began
     * @param partialHeader the header bytes received before the failure, decoded as UTF-8 (for
     *     {@code INVALID_EVENT}: the start of the event's data; for {@code EVENT_TOO_LARGE}: empty)
     * @param message what went wrong, for people
     */
    public FramingException(Kind kind, long streamOffset, String partialHeader, String message) {
        super(message);
        this.kind = kind;
        this.streamOffset = streamOffset;
        this.partialHeader = partialHeader;
    }

    /** The rule that was broken. */
    public Kind kind() {
        return kind;
    }

    /** Byte offset in the stream of the {@code start852} that opened the offending block (or of the event's first line). */
    public long streamOffset() {
        return streamOffset;
    }

    /** The header bytes that arrived before the failure (never more than the bound), as UTF-8 text. */
    public String partialHeader() {
        return partialHeader;
    }
}
