package dev.chat852.mock;

import dev.chat852.mock.internal.HttpHeaderRules;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ChatApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A recorded answer: status, headers, body chunks with their timing, and optional faults. Immutable.
 *
 * <pre>{@code
 * RecordedResponse answer = RecordedResponse.builder()
 *         .chunk(0, "start852{\"apiDate\":\"2026-11-25\"}end852")
 *         .chunk(40, "你好")
 *         .chunk(300, "！")
 *         .chunk(20, "undefined")
 *         .fault(Fault.stall(10, 1_000))
 *         .build();
 * }</pre>
 */
public final class RecordedResponse {
    /**
     * The longest delay a recording or a fault may ask for, in milliseconds: one day. Longer ones are
     * refused where they are given (rather than overflowing into no delay at all).
     */
    public static final long MAX_DELAY_MS = 24L * 60 * 60 * 1000;

    /** Content type of a streamed answer when a recording names none. */
    public static final String DEFAULT_CONTENT_TYPE = ChatApi.STREAM_MEDIA_TYPE + "; charset=utf-8";

    private final int status;
    private final Map<String, String> headers;
    private final long headersDelayMs;
    private final List<Chunk> chunks;
    private final List<Fault> faults;

    private RecordedResponse(Builder b) {
        this.status = b.status;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.headersDelayMs = b.headersDelayMs;
        this.chunks = List.copyOf(b.chunks);
        this.faults = List.copyOf(b.faults);
    }

    /** A builder for a 200 response with no headers, chunks or faults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The upstream's error convention: HTTP 200, {@code application/json},
     * {@code {"code":CODE,"message":MESSAGE,"data":null}} in one chunk.
     */
    public static RecordedResponse apiError(int code, String message) {
        return builder().header("Content-Type", ChatApi.JSON_CONTENT_TYPE)
                .chunk(0, ApiEnvelope.error(code, message)).build();
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The response headers as recorded, in order (hop-by-hop headers are not kept). */
    public Map<String, String> headers() {
        return headers;
    }

    /** A header's value, the name compared ignoring case. */
    public Optional<String> header(String name) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return Optional.of(e.getValue());
            }
        }
        return Optional.empty();
    }

    /** The recorded Content-Type, or {@link #DEFAULT_CONTENT_TYPE}. */
    public String contentType() {
        return header("Content-Type").orElse(DEFAULT_CONTENT_TYPE);
    }

    /** Whether the body is JSON (the upstream's non-stream answers and errors), not an 852 stream. */
    public boolean isJson() {
        return contentType().toLowerCase(Locale.ROOT).contains("json");
    }

    /** Time from the request to the status line, in milliseconds of recorded time. */
    public long headersDelayMs() {
        return headersDelayMs;
    }

    /** The body chunks, in order. */
    public List<Chunk> chunks() {
        return chunks;
    }

    /** Faults this response always comes with (besides any the server adds). */
    public List<Fault> faults() {
        return faults;
    }

    /** All body bytes, concatenated. */
    public byte[] body() {
        int size = 0;
        for (Chunk c : chunks) {
            size += c.size();
        }
        byte[] body = new byte[size];
        int at = 0;
        for (Chunk c : chunks) {
            c.buffer().get(body, at, c.size());
            at += c.size();
        }
        return body;
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /** Recorded time from the status line to the last chunk: the sum of the chunk delays. */
    public long durationMs() {
        long sum = 0;
        for (Chunk c : chunks) {
            sum += c.delayMs();
        }
        return sum;
    }

    /** A builder starting from this response. */
    public Builder newBuilder() {
        Builder b = new Builder();
        b.status = status;
        b.headers.putAll(headers);
        b.headersDelayMs = headersDelayMs;
        b.chunks.addAll(chunks);
        b.faults.addAll(faults);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RecordedResponse)) {
            return false;
        }
        RecordedResponse r = (RecordedResponse) o;
        return r.status == status && r.headers.equals(headers) && r.headersDelayMs == headersDelayMs
                && r.chunks.equals(chunks) && r.faults.equals(faults);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, headers, headersDelayMs, chunks, faults);
    }

    @Override
    public String toString() {
        return "HTTP " + status + ", " + chunks.size() + " chunks, " + body().length + " bytes over "
                + durationMs() + " ms" + (faults.isEmpty() ? "" : ", faults " + faults);
    }

    /** Builds a {@link RecordedResponse}; not thread-safe. */
    public static final class Builder {
        private int status = 200;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private long headersDelayMs;
        private final List<Chunk> chunks = new ArrayList<>();
        private final List<Fault> faults = new ArrayList<>();

        private Builder() {
        }

        /** The HTTP status (default 200). */
        public Builder status(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("HTTP status must be 100..599, was " + status);
            }
            this.status = status;
            return this;
        }

        /**
         * Sets a header, replacing one of the same name (ignoring case).
         *
         * @throws IllegalArgumentException if the name is not an HTTP token, or the value holds a line
         *     break or another control character, or a character that is not one byte (ISO-8859-1):
         *     such a header could not be sent
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(name, "name");
            HttpHeaderRules.check(name, value);
            headers.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            headers.put(name, value);
            return this;
        }

        /** Time from the request to the status line, in ms of recorded time (default 0; at most {@link #MAX_DELAY_MS}). */
        public Builder headersDelayMs(long headersDelayMs) {
            if (headersDelayMs < 0 || headersDelayMs > MAX_DELAY_MS) {
                throw new IllegalArgumentException("headersDelayMs must be 0.." + MAX_DELAY_MS + " (one day), was "
                        + headersDelayMs);
            }
            this.headersDelayMs = headersDelayMs;
            return this;
        }

        /** Appends a chunk. */
        public Builder chunk(Chunk chunk) {
            chunks.add(Objects.requireNonNull(chunk, "chunk"));
            return this;
        }

        /** Appends a chunk of UTF-8 text sent {@code delayMs} after the previous one. */
        public Builder chunk(long delayMs, String text) {
            return chunk(Chunk.of(delayMs, text));
        }

        /** Appends a chunk of raw bytes sent {@code delayMs} after the previous one. */
        public Builder chunk(long delayMs, byte[] bytes) {
            return chunk(Chunk.of(delayMs, bytes));
        }

        /** Replaces all chunks. */
        public Builder chunks(List<Chunk> chunks) {
            this.chunks.clear();
            chunks.forEach(this::chunk);
            return this;
        }

        /** Adds a fault. */
        public Builder fault(Fault fault) {
            faults.add(Objects.requireNonNull(fault, "fault"));
            return this;
        }

        /** Replaces all faults. */
        public Builder faults(List<Fault> faults) {
            this.faults.clear();
            faults.forEach(this::fault);
            return this;
        }

        public RecordedResponse build() {
            return new RecordedResponse(this);
        }
    }
}
