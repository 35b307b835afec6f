package dev.chat852.wire;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Receives an OpenAI-compatible chat stream from an {@link OpenAiStreamDecoder}: the first choice's text
 * as strings, its finish reason and the usage when the server sends them, then the end or an error.
 * Calls arrive in stream order, on the thread that feeds.
 */
public interface OpenAiStreamHandler {

    /** A piece of the first choice's {@code delta.content}, never empty. Concatenate them for the answer. */
    void onText(String text);

    /**
     * The server sent an error in the stream: an event whose JSON has an {@code error} member, or an
     * event of type {@code error}. Nothing after it is read. Text before it was delivered.
     *
     * @param error the {@code error} value as sent (usually {@code {"message", "type", "param", "code"}}),
     *     or, for an {@code error} event whose data is not JSON, that data as a JSON string
     */
    void onServerError(JsonNode error);

    /** The first choice's {@code finish_reason}, such as {@code "stop"} or {@code "length"}, when the server sends it. */
    default void onFinish(String reason) {
    }

    /** The {@code usage} object ({@code prompt_tokens}, {@code completion_tokens}, {@code total_tokens}, …), when sent. */
    default void onUsage(JsonNode usage) {
    }

    /** The stream ended cleanly (with {@code [DONE]}, or without it): everything was delivered. */
    default void onEnd() {
    }

    /**
     * The stream broke the rules: an event's data is neither {@code [DONE]} nor a JSON object, or an
     * event grew past the bound. Called at most once, after all text before it; nothing more is read.
     * By default the error is thrown from the {@code feed} or {@code finish} call that found it.
     */
    default void onError(FramingException error) {
        throw error;
    }
}
