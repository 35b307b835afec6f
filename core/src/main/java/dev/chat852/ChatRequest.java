package dev.chat852;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One chat request: the conversation so far, the model, and parameters passed through to the model.
 * Immutable; build with {@link #builder()} or {@link #of(String)}.
 *
 * <pre>{@code
 * ChatRequest request = ChatRequest.builder()
 *         .model(Models.GPT_4)
 *         .system("Answer in one sentence.")
 *         .user("什么是 HTTP？")
 *         .param("temperature", 0.2)
 *         .idleTimeout(Duration.ofMinutes(2))   // this request only
 *         .build();
 * }</pre>
 *
 * <p>Whether the answer streams is decided by the call ({@link ChatClient#stream} or
 * {@link ChatClient#complete}), not here.
 */
public final class ChatRequest {
    private final String model;
    private final List<ChatMessage> messages;
    private final Map<String, Object> params;
    private final Duration connectTimeout;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    private final boolean keepText;

    private ChatRequest(Builder b) {
        this.model = b.model;
        this.messages = List.copyOf(b.messages);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(b.params));
        this.connectTimeout = b.connectTimeout;
        this.firstByteTimeout = b.firstByteTimeout;
        this.idleTimeout = b.idleTimeout;
        this.keepText = b.keepText;
    }

    /** A request with one user message, for the client's default model. */
    public static ChatRequest of(String userMessage) {
        return builder().user(userMessage).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this request. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.messages.addAll(messages);
        b.params.putAll(params);
        b.keepText = keepText;
        b.connectTimeout = connectTimeout;
        b.firstByteTimeout = firstByteTimeout;
        b.idleTimeout = idleTimeout;
        return b;
    }

    /** The model; empty means the client's default. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    public List<ChatMessage> messages() {
        return messages;
    }

    /** Parameters sent as the request's {@code params} object, besides {@code stream}. */
    public Map<String, Object> params() {
        return params;
    }

    /** This request's connect timeout; empty means the client's. */
    public Optional<Duration> connectTimeout() {
        return Optional.ofNullable(connectTimeout);
    }

    /** This request's first-byte timeout; empty means the client's. */
    public Optional<Duration> firstByteTimeout() {
        return Optional.ofNullable(firstByteTimeout);
    }

    /** This request's idle timeout; empty means the client's. */
    public Optional<Duration> idleTimeout() {
        return Optional.ofNullable(idleTimeout);
    }

    /** Whether the completion keeps the answer's text; see {@link Builder#keepText(boolean)}. */
    public boolean keepText() {
        return keepText;
    }

    /** Model, number of messages and parameter names; message content is left out. */
    @Override
    public String toString() {
        return "ChatRequest{model=" + (model == null ? "(default)" : model) + ", messages=" + messages.size()
                + ", params=" + params.keySet() + "}";
    }

    /** Builds a {@link ChatRequest}. At least one message is required. */
    public static final class Builder {
        private String model;
        private final List<ChatMessage> messages = new ArrayList<>();
        private final Map<String, Object> params = new LinkedHashMap<>();
        private Duration connectTimeout;
        private Duration firstByteTimeout;
        private Duration idleTimeout;
        private boolean keepText = true;

        private Builder() {
        }

        /** Any model name; see {@link Models} for the documented ones. {@code null}: the client's default. */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Appends a message. */
        public Builder message(ChatMessage message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Replaces the conversation. */
        public Builder messages(List<ChatMessage> messages) {
            this.messages.clear();
            messages.forEach(this::message);
            return this;
        }

        public Builder system(String content) {
            return message(ChatMessage.system(content));
        }

        public Builder user(String content) {
            return message(ChatMessage.user(content));
        }

        public Builder assistant(String content) {
            return message(ChatMessage.assistant(content));
        }

        /**
         * Sets a parameter passed to the model ({@code n}, {@code temperature}, {@code response_format}
         * …). Values are anything Jackson writes: strings, numbers, booleans, maps, lists, {@code JsonNode}.
         *
         * @throws IllegalArgumentException for {@code stream}, which the call decides
         */
        public Builder param(String name, Object value) {
            if ("stream".equals(name)) {
                throw new IllegalArgumentException("params.stream is set by the call: use ChatClient.stream(...)"
                        + " for a streamed answer or ChatClient.complete(...) for a whole one");
            }
            params.put(Objects.requireNonNull(name, "name"), value);
            return this;
        }

        /** Sets several parameters; see {@link #param}. */
        public Builder params(Map<String, ?> params) {
            params.forEach(this::param);
            return this;
        }

        /** Overrides the client's connect timeout for this request; {@link Duration#ZERO} for none. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = Timeouts.check("connectTimeout", timeout);
            return this;
        }

        /** Overrides the client's first-byte timeout for this request; {@link Duration#ZERO} for none. */
        public Builder firstByteTimeout(Duration timeout) {
            this.firstByteTimeout = Timeouts.check("firstByteTimeout", timeout);
            return this;
        }

        /** Overrides the client's idle timeout for this request; {@link Duration#ZERO} for none. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Timeouts.check("idleTimeout", timeout);
            return this;
        }

        /**
         * Whether the call keeps the answer's text for {@link ChatCompletion#text()} and
         * {@link ChatStream#received()}; default {@code true}. With {@code false} both have empty text
         * while every piece still reaches the listener or subscriber as it arrives: for answers consumed
         * piece by piece, whose memory then stays flat however long they are (a 1 GiB answer streams
         * through a 64 MiB heap, given a {@link ChatClient.Builder#maxAnswerBytes} that allows it), and
         * which allocate about half as much per byte. Header blocks, usage and timings are kept either way.
         */
        public Builder keepText(boolean keepText) {
            this.keepText = keepText;
            return this;
        }

        /** @throws IllegalStateException if no message was added */
        public ChatRequest build() {
            if (messages.isEmpty()) {
                throw new IllegalStateException("a ChatRequest needs at least one message: add one with user(...)");
            }
            return new ChatRequest(this);
        }
    }
}
