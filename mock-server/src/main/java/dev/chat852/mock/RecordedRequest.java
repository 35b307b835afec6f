package dev.chat852.mock;

import dev.chat852.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which requests a {@link Recording} answers: a model and a message list, each optional. A request
 * matches when every field that is set equals the request's ({@code role} and {@code content} of
 * each message, in order; content that is not a string is compared as its compact JSON); a matcher
 * with no fields matches any request. Immutable.
 *
 * <pre>{@code
 * RecordedRequest.builder().model("gpt-4").message("user", "你好").build()
 * }</pre>
 */
public final class RecordedRequest {
    private static final RecordedRequest ANY = new RecordedRequest(null, null);

    private final String model;
    private final List<ChatMessage> messages;

    private RecordedRequest(String model, List<ChatMessage> messages) {
        this.model = model;
        this.messages = messages == null ? null : List.copyOf(messages);
    }

    /** The matcher that matches every request. */
    public static RecordedRequest any() {
        return ANY;
    }

    /** A builder with no fields set. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model to match, if set. */
    public Optional<String> model() {
        return Optional.ofNullable(model);
    }

    /** The messages to match, if set (an empty list matches only a request with no messages). */
    public Optional<List<ChatMessage>> messages() {
        return Optional.ofNullable(messages);
    }

    /** Whether this matcher matches every request. */
    public boolean isAny() {
        return model == null && messages == null;
    }

    /** Whether a request for {@code model} with {@code messages} matches. */
    public boolean matches(String model, List<ChatMessage> messages) {
        return (this.model == null || this.model.equals(model))
                && (this.messages == null || this.messages.equals(messages));
    }

    /** A builder starting from this matcher. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.model = model;
        b.messages = messages == null ? null : new ArrayList<>(messages);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordedRequest
                && Objects.equals(((RecordedRequest) o).model, model)
                && Objects.equals(((RecordedRequest) o).messages, messages);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, messages);
    }

    @Override
    public String toString() {
        return isAny() ? "any request" : "model=" + (model == null ? "*" : model)
                + " messages=" + (messages == null ? "*" : messages);
    }

    /** Builds a {@link RecordedRequest}; not thread-safe. */
    public static final class Builder {
        private String model;
        private List<ChatMessage> messages;

        private Builder() {
        }

        /** Match only this model ({@code null}: any model). */
        public Builder model(String model) {
            this.model = model;
            return this;
        }

        /** Match exactly these messages ({@code null}: any messages). */
        public Builder messages(List<ChatMessage> messages) {
            this.messages = messages == null ? null : new ArrayList<>(messages);
            return this;
        }

        /** Adds a message to the list to match. */
        public Builder message(String role, String content) {
            if (messages == null) {
                messages = new ArrayList<>();
            }
            messages.add(new ChatMessage(role, content));
            return this;
        }

        public RecordedRequest build() {
            return model == null && messages == null ? ANY : new RecordedRequest(model, messages);
        }
    }
}
