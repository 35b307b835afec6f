package dev.chat852.bench;

import dev.chat852.ChatRequest;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The recordings the transport and mock-server benchmarks replay, built from {@link ChatBodyGenerator}
 * bodies (seed 852), so the benchmark process and a server process build byte-identical ones.
 */
final class BenchRecordings {
    static final long SEED = 852;
    static final String MODEL = "gpt-4";
    /** The user message the short answer is recorded for. */
    static final String SHORT_PROMPT = "short";
    /** The user message the long answer is recorded for. */
    static final String LONG_PROMPT = "long";
    /** The short answer: the header block, a few hundred bytes of text, {@code undefined}. */
    static final int SHORT_BYTES = 512;
    /** Text chunk size of the short answer: a few characters at a time, as the real service sends. */
    static final int SHORT_CHUNK = 32;
    /** The long answer: 16 MiB of body. */
    static final int LONG_BYTES = 16 << 20;
    /** The long answer is recorded as 16 KiB chunks. */
    static final int LONG_CHUNK = 16 << 10;

    private BenchRecordings() {
    }

    static ChatBodyGenerator.Body shortBody() {
        return ChatBodyGenerator.generate(SEED, SHORT_BYTES);
    }

    static ChatBodyGenerator.Body longBody() {
        return ChatBodyGenerator.generate(SEED, LONG_BYTES);
    }

    /** Length of the {@code start852{…}end852} block every generated body starts with. */
    static int headerBlockBytes() {
        return ("start852" + ChatBodyGenerator.HEADER_JSON + "end852").getBytes(StandardCharsets.UTF_8).length;
    }

    /** The short answer: the header block as chunk 0, then the rest in {@link #SHORT_CHUNK}-byte chunks, no delays. */
    static Recording shortRecording(ChatBodyGenerator.Body body) {
        return recording(SHORT_PROMPT, chunks(body.bytes(), headerBlockBytes(), SHORT_CHUNK, 0));
    }

    /** The long answer: {@link #LONG_CHUNK}-byte chunks (the header block is in the first), no delays. */
    static Recording longRecording(ChatBodyGenerator.Body body) {
        return recording(LONG_PROMPT, chunks(body.bytes(), 0, LONG_CHUNK, 0));
    }

    /**
     * A paced answer for load tests: the status line {@code headMs} after the request, the header block
     * with it (chunk 0), then {@code textChunks} chunks of the body's remaining bytes, each {@code gapMs}
     * after the previous one. Cuts may split characters.
     */
    static Recording paced(ChatBodyGenerator.Body body, long headMs, int textChunks, long gapMs) {
        byte[] b = body.bytes();
        int head = headerBlockBytes();
        RecordedResponse.Builder r = RecordedResponse.builder().headersDelayMs(headMs)
                .chunk(Chunk.of(0, Arrays.copyOfRange(b, 0, head)));
        int rest = b.length - head;
        for (int i = 0; i < textChunks; i++) {
            int from = head + (int) ((long) rest * i / textChunks);
            int to = head + (int) ((long) rest * (i + 1) / textChunks);
            r.chunk(Chunk.of(gapMs, Arrays.copyOfRange(b, from, to)));
        }
        return Recording.builder().name("paced").request(RecordedRequest.any()).response(r.build()).build();
    }

    /** Chunk 0 is {@code body[0, first)} when {@code first > 0}; then {@code size}-byte chunks. */
    private static RecordedResponse chunks(byte[] body, int first, int size, long delayMs) {
        RecordedResponse.Builder r = RecordedResponse.builder();
        int at = 0;
        if (first > 0) {
            r.chunk(Chunk.of(delayMs, Arrays.copyOfRange(body, 0, first)));
            at = first;
        }
        for (; at < body.length; at += size) {
            r.chunk(Chunk.of(delayMs, Arrays.copyOfRange(body, at, Math.min(body.length, at + size))));
        }
        return r.build();
    }

    private static Recording recording(String prompt, RecordedResponse response) {
        return Recording.builder()
                .name(prompt)
                .request(RecordedRequest.builder().model(MODEL).message("user", prompt).build())
                .response(response)
                .build();
    }

    /** The request body chat852's client sends for {@code prompt} (for the raw-socket clients). */
    static byte[] requestJson(String prompt) {
        return ApiRequest.encode(ChatRequest.of(prompt), MODEL, "bench", true);
    }

    /** A whole HTTP/1.1 request for the chat endpoint, keep-alive, as raw bytes. */
    static byte[] httpRequest(String hostPort, String prompt) {
        byte[] json = requestJson(prompt);
        StringBuilder head = new StringBuilder("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: " + hostPort + "\r\n");
        ChatApi.requestHeaders(true).forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(json.length).append("\r\n\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(headBytes, headBytes.length + json.length);
        System.arraycopy(json, 0, all, headBytes.length, json.length);
        return all;
    }
}
