package dev.chat852.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Builds a realistic OpenAI-compatible stream body, deterministically from a seed: the text of
 * {@link ChatBodyGenerator} (half Chinese, half ASCII) cut into token-sized deltas of 1 to 6 characters,
 * each a {@code data: {chat.completion.chunk}} event as OpenAI sends it (about 250 bytes), then
 * {@code data: [DONE]}. The body has exactly the requested size: a comment line pads it before the end.
 */
public final class SseBodyGenerator {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String PREFIX = "data: {\"id\":\"chatcmpl-AbCdEfGh012345\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1795617963,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_0ba0d124f1\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":";
    private static final String SUFFIX = "},\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    /** A generated body and what a correct decoder must find in it. */
    public record Body(byte[] bytes, String text, int events) {
    }

    private SseBodyGenerator() {
    }

    public static Body generate(long seed, int totalBytes) {
        String source = ChatBodyGenerator.generate(seed, Math.max(1024, totalBytes / 4)).text();
        SplittableRandom random = new SplittableRandom(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream(totalBytes);
        StringBuilder text = new StringBuilder();
        int events = 0;
        int at = 0;
        int room = totalBytes - DONE.length - 2; // a comment line of at least ":\n" pads the rest
        while (at < source.length()) {
            int end = Math.min(source.length(), at + random.nextInt(1, 7));
            if (end < source.length() && Character.isHighSurrogate(source.charAt(end - 1))) {
                end++; // never split a character between two deltas
            }
            String delta = source.substring(at, end);
            byte[] event = (PREFIX + json(delta) + SUFFIX).getBytes(StandardCharsets.UTF_8);
            if (out.size() + event.length > room) {
                break;
            }
            out.writeBytes(event);
            text.append(delta);
            events++;
            at = end;
        }
        int pad = totalBytes - DONE.length - out.size();
        out.write(':');
        for (int i = 0; i < pad - 2; i++) {
            out.write(' ');
        }
        out.write('\n');
        out.writeBytes(DONE);
        byte[] bytes = out.toByteArray();
        if (bytes.length != totalBytes) {
            throw new IllegalStateException("generated " + bytes.length + " bytes, wanted " + totalBytes);
        }
        return new Body(bytes, text.toString(), events + 1);
    }

    private static String json(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
