package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.protocol.OpenAiApi;
import dev.chat852.protocol.OpenAiError;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.OpenAiStreamDecoder;
import dev.chat852.wire.OpenAiStreamHandler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole {@code chat.completion} built from a recorded OpenAI stream, for a request with
 * {@code "stream": false}: the body decoded with core's {@link OpenAiStreamDecoder}, its text as the
 * message, its finish reason and usage when the stream had them. A stream that carried the server's
 * error gives that error with HTTP 500.
 */
final class OpenAiNonStream {
    private static final AtomicLong IDS = new AtomicLong();

    private OpenAiNonStream() {
    }

    /** The answer as a one-chunk JSON response, sent when the recorded stream would have ended. */
    static RecordedResponse wrap(RecordedResponse streamed, ApiRequest request) {
        StringBuilder text = new StringBuilder();
        JsonNode[] found = new JsonNode[3]; // finish reason, usage, error
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(new OpenAiStreamHandler() {
            @Override
            public void onText(String piece) {
                text.append(piece);
            }

            @Override
            public void onFinish(String reason) {
                found[0] = JsonNodeFactory.instance.textNode(reason);
            }

            @Override
            public void onUsage(JsonNode usage) {
                found[1] = usage;
            }

            @Override
            public void onServerError(JsonNode error) {
                found[2] = error;
            }

            @Override
            public void onError(FramingException error) {
                // A broken event: the text before it is the answer, as a client would show.
            }
        });
        byte[] body = streamed.body();
        decoder.feed(body, 0, body.length);
        decoder.finish();

        RecordedResponse.Builder b = RecordedResponse.builder()
                .header("Content-Type", ChatApi.JSON_CONTENT_TYPE)
                .headersDelayMs(Math.min(RecordedResponse.MAX_DELAY_MS, streamed.headersDelayMs() + streamed.durationMs()))
                .faults(streamed.faults());
        if (found[2] != null) {
            return b.status(500).chunk(0, OpenAiError.of(found[2]).toJson()).build();
        }
        String answer = text.toString();
        ObjectNode completion = JsonNodeFactory.instance.objectNode();
        completion.put("id", "chatcmpl-mock-" + IDS.incrementAndGet());
        completion.put("object", "chat.completion");
        completion.put("created", System.currentTimeMillis() / 1000);
        completion.put("model", request.model() != null ? request.model() : OpenAiApi.DEFAULT_MODEL);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", found[0] != null ? found[0].textValue() : "stop");
        if (found[1] != null) {
            completion.set("usage", found[1]);
        } else { // stand-in counts, one per character: the recording does not say how the model tokenized
            int prompt = 0;
            for (ChatMessage m : request.messages()) {
                prompt += m.content().codePointCount(0, m.content().length());
            }
            int answered = answer.codePointCount(0, answer.length());
            completion.putObject("usage").put("prompt_tokens", prompt).put("completion_tokens", answered)
                    .put("total_tokens", prompt + answered);
        }
        return b.status(200).chunk(0, Jsons.write(completion)).build();
    }
}
