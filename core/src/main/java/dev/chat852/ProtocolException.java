package dev.chat852;

import dev.chat852.wire.FramingException;
import java.util.Optional;

/**
 * The server broke the API's protocol: the stream's framing (a header block never closed, or over its
 * bound; see {@link #framing()}), or a JSON answer that is not the API's {@code {code, message, data}}
 * envelope. Text received before it was delivered and stays in {@link ChatStream#received()}.
 */
public final class ProtocolException extends Chat852Exception {
    private static final long serialVersionUID = 1L;

    /** The answer is not what the API sends; {@code message} says how. */
    public ProtocolException(String message) {
        super(message);
    }

    /** The stream broke the framing rules, as the decoder found. */
    public ProtocolException(FramingException framing) {
        super(framing.getMessage(), framing);
    }

    /** What the decoder found, if the framing was broken: its kind, offset and partial header. */
    public Optional<FramingException> framing() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) { // a blocking call's copy has this one as cause
            if (t instanceof FramingException) {
                return Optional.of((FramingException) t);
            }
        }
        return Optional.empty();
    }
}
