package dev.chat852;

import dev.chat852.wire.Header;
import java.util.Objects;

/**
 * What a streamed answer is made of, in the order it arrives: usually a {@link HeaderReceived}, then
 * {@link TextDelta}s, then one {@link Completed}. Failures are not events: they end the stream with a
 * {@link Chat852Exception}.
 */
public sealed interface ChatEvent permits ChatEvent.HeaderReceived, ChatEvent.TextDelta, ChatEvent.Completed {

    /** A header block: account and quota information. */
    record HeaderReceived(Header header) implements ChatEvent {
        public HeaderReceived {
            Objects.requireNonNull(header, "header");
        }
    }

    /** The next piece of the answer; never empty. */
    record TextDelta(String text) implements ChatEvent {
        public TextDelta {
            Objects.requireNonNull(text, "text");
        }
    }

    /** The answer ended normally; the completion holds all of it and the call's timings. */
    record Completed(ChatCompletion completion) implements ChatEvent {
        public Completed {
            Objects.requireNonNull(completion, "completion");
        }
    }
}
