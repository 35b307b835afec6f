package dev.chat852;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.wire.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole answer, or what had arrived of it ({@link ChatStream#received()}): its text, its header
 * blocks, the finish reason and token usage when the server sent them, and the call's timings. Immutable.
 */
public final class ChatCompletion {
    private final String model;
    private final String text;
    private final List<Header> headers;
    private final JsonNode raw;
    private final String finishReason;
    private final Usage usage;
    private final boolean finished;
    private final Duration timeToFirstByte;
    private final Duration timeToFirstText;
    private final Duration duration;
    private final long bytesReceived;
    private final long chunksReceived;

    private ChatCompletion(Builder b) {
        this.model = Objects.requireNonNull(b.model, "model");
        this.text = b.text;
        this.headers = List.copyOf(b.headers);
        this.raw = b.raw;
        this.finishReason = b.finishReason;
        this.usage = b.usage;
        this.finished = b.finished;
        this.timeToFirstByte = b.timeToFirstByte;
        this.timeToFirstText = b.timeToFirstText;
        this.duration = b.duration;
        this.bytesReceived = b.bytesReceived;
        this.chunksReceived = b.chunksReceived;
    }

    /** A builder, for transports' tests and test doubles; the client builds completions itself. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model the request named. */
    public String model() {
        return model;
    }

    /** The answer text (for a non-streamed call with several choices: the first choice's). */
    public String text() {
        return text;
    }

    /** The first header block, if any arrived. */
    public Optional<Header> header() {
        return headers.isEmpty() ? Optional.empty() : Optional.of(headers.get(0));
    }

    /** Every header block, in order. */
    public List<Header> headers() {
        return headers;
    }

    /** For a non-streamed call: the OpenAI {@code chat.completion} object as received (for the 852 dialect, inside its wrapper). */
    public Optional<JsonNode> raw() {
        return Optional.ofNullable(raw);
    }

    /**
     * Why the model stopped ({@code stop}, {@code length}, {@code content_filter} …), when the server
     * said: the first choice's {@code finish_reason} of a whole answer, or of the OpenAI stream's last
     * chunk. The 852 stream does not send one.
     */
    public Optional<String> finishReason() {
        return Optional.ofNullable(finishReason);
    }

    /**
     * The tokens the answer cost, when the server said: a whole answer's {@code usage}, or an OpenAI
     * stream's (sent when the request asks for it: {@code param("stream_options", Map.of("include_usage",
     * true))}). The 852 stream does not send one.
     */
    public Optional<Usage> usage() {
        return Optional.ofNullable(usage);
    }

    /** True once the answer ended normally; false in a snapshot taken earlier or after a failure. */
    public boolean finished() {
        return finished;
    }

    /** From sending the request to the response status arriving; empty if it never did. */
    public Optional<Duration> timeToFirstByte() {
        return Optional.ofNullable(timeToFirstByte);
    }

    /** From sending the request to the first piece of answer text; empty if none arrived. */
    public Optional<Duration> timeToFirstText() {
        return Optional.ofNullable(timeToFirstText);
    }

    /** From sending the request to the end (or to the snapshot). */
    public Duration duration() {
        return duration;
    }

    /** Body bytes received. */
    public long bytesReceived() {
        return bytesReceived;
    }

    /** Body reads received, as the transport delivered them. */
    public long chunksReceived() {
        return chunksReceived;
    }

    @Override
    public String toString() {
        return "ChatCompletion{model=" + model + ", finished=" + finished + ", chars=" + text.length()
                + ", headers=" + headers.size() + ", duration=" + duration.toMillis() + "ms}";
    }

    /**
     * Token counts as the server reported them ({@code prompt_tokens}, {@code completion_tokens},
     * {@code total_tokens}; -1 for one it left out); {@code json} is the whole {@code usage} object, with
     * any details it has.
     */
    public record Usage(long promptTokens, long completionTokens, long totalTokens, JsonNode json) {
        public Usage {
            Objects.requireNonNull(json, "json");
        }

        /** The counts of a {@code usage} object. */
        public static Usage of(JsonNode usage) {
            return new Usage(count(usage, "prompt_tokens"), count(usage, "completion_tokens"),
                    count(usage, "total_tokens"), usage);
        }

        private static long count(JsonNode usage, String field) {
            JsonNode n = usage.get(field);
            return n != null && n.canConvertToLong() && n.isIntegralNumber() ? n.longValue() : -1;
        }
    }

    /** Builds a {@link ChatCompletion}. */
    public static final class Builder {
        private String model;
        private String text = "";
        private final List<Header> headers = new ArrayList<>();
        private JsonNode raw;
        private String finishReason;
        private Usage usage;
        private boolean finished;
        private Duration timeToFirstByte;
        private Duration timeToFirstText;
        private Duration duration = Duration.ZERO;
        private long bytesReceived;
        private long chunksReceived;

        private Builder() {
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder text(String text) {
            this.text = Objects.requireNonNull(text, "text");
            return this;
        }

        public Builder header(Header header) {
            headers.add(Objects.requireNonNull(header, "header"));
            return this;
        }

        public Builder raw(JsonNode raw) {
            this.raw = raw;
            return this;
        }

        public Builder finishReason(String finishReason) {
            this.finishReason = finishReason;
            return this;
        }

        public Builder usage(Usage usage) {
            this.usage = usage;
            return this;
        }

        public Builder finished(boolean finished) {
            this.finished = finished;
            return this;
        }

        public Builder timeToFirstByte(Duration d) {
            this.timeToFirstByte = d;
            return this;
        }

        public Builder timeToFirstText(Duration d) {
            this.timeToFirstText = d;
            return this;
        }

        public Builder duration(Duration d) {
            this.duration = Objects.requireNonNull(d, "duration");
            return this;
        }

        public Builder bytesReceived(long n) {
            this.bytesReceived = n;
            return this;
        }

        public Builder chunksReceived(long n) {
            this.chunksReceived = n;
            return this;
        }

        public ChatCompletion build() {
            return new ChatCompletion(this);
        }
    }
}
