package dev.chat852.mock.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.ChatMessage;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.wire.FramingException;
import dev.chat852.wire.Header;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The documented non-stream answer built from a streamed recording: the body decoded with core's
 * {@link StreamDecoder}, its text as the completion and its first header block as {@code info}.
 */
final class NonStream {
    private static final AtomicLong IDS = new AtomicLong();

    private NonStream() {
    }

    /**
     * The wrapper as a one-chunk JSON response. The real service answers when the whole completion
     * is done, so the status line waits as long as the stream took.
     */
    static RecordedResponse wrap(RecordedResponse streamed, ApiRequest request) {
        StringBuilder text = new StringBuilder();
        JsonNode[] info = new JsonNode[1];
        StreamDecoder decoder = new StreamDecoder(new StreamHandler() {
            @Override
            public void onText(String piece) {
                text.append(piece);
            }

            @Override
            public void onHeader(Header header) {
                if (info[0] == null) {
                    info[0] = header.json();
                }
            }

            @Override
            public void onError(FramingException error) {
                // An unterminated header: the text before it is the answer, as a client would show.
            }
        });
        byte[] body = streamed.body();
        decoder.feed(body, 0, body.length);
        decoder.finish();

        String answer = text.toString();
        ObjectNode completion = JsonNodeFactory.instance.objectNode();
        completion.put("id", "chatcmpl-mock-" + IDS.incrementAndGet());
        completion.put("object", "chat.completion");
        completion.put("created", System.currentTimeMillis() / 1000);
        completion.put("model", request.model() != null ? request.model() : ChatApi.DEFAULT_MODEL);
        ArrayNode choices = completion.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", answer);
        choice.put("finish_reason", "stop");
        // Stand-in counts, one per character: the recording does not say how the model tokenized.
        int promptTokens = 0;
        for (ChatMessage m : request.messages()) {
            promptTokens += m.content().codePointCount(0, m.content().length());
        }
        int completionTokens = answer.codePointCount(0, answer.length());
        ObjectNode usage = completion.putObject("usage");
        usage.put("prompt_tokens", promptTokens);
        usage.put("completion_tokens", completionTokens);
        usage.put("total_tokens", promptTokens + completionTokens);

        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.set("completion", completion);
        data.set("info", info[0] != null ? info[0] : NullNode.getInstance());

        return RecordedResponse.builder()
                .status(200)
                .header("Content-Type", ChatApi.JSON_CONTENT_TYPE)
                .headersDelayMs(streamed.headersDelayMs() + streamed.durationMs())
                .chunk(0, ApiEnvelope.success(data))
                .faults(streamed.faults())
                .build();
    }
}
