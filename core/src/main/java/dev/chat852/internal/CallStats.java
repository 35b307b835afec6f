package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.wire.Header;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What a call received and when: the answer so far, its headers, byte and read counts, and the
 * moments that make its timings. The source of {@code ChatStream.received()}, of the completion and
 * of the metrics. Not thread-safe: the call guards it with its lock.
 */
final class CallStats {
    private final String model;
    private final LongSupplier nanoTime;
    private final long startNanos;
    /** The answer so far; null when the request said not to keep it. */
    private final TextSoFar text;
    private final List<Header> headers = new ArrayList<>();
    private JsonNode raw;
    private String finishReason;
    private ChatCompletion.Usage usage;
    private long bytes;
    private long chunks;
    // Moments as nanoseconds since the start, never absolute readings (which may be negative); -1 until they come.
    private long firstByteAt = -1;
    private long firstTextAt = -1;
    private long endAt = -1;

    CallStats(String model, boolean keepText) {
        this(model, keepText, System::nanoTime);
    }

    /** With the clock the timings are read from (tests give their own). */
    CallStats(String model, boolean keepText, LongSupplier nanoTime) {
        this.model = model;
        this.text = keepText ? new TextSoFar() : null;
        this.nanoTime = nanoTime;
        this.startNanos = nanoTime.getAsLong();
    }

    void responseStarted() {
        firstByteAt = sinceStart();
    }

    /** A read of the body arrived. */
    void body(int length) {
        bytes += length;
        chunks++;
    }

    /** A piece of text or a header block of the answer. */
    void event(ChatEvent event) {
        if (event instanceof ChatEvent.TextDelta) {
            if (firstTextAt < 0) {
                firstTextAt = sinceStart();
            }
            if (text != null) {
                text.append(((ChatEvent.TextDelta) event).text());
            }
        } else if (event instanceof ChatEvent.HeaderReceived) {
            headers.add(((ChatEvent.HeaderReceived) event).header());
        }
    }

    /** What the server said besides the text; a null keeps what was said before. */
    void details(JsonNode completion, String finishReason, ChatCompletion.Usage usage) {
        raw = completion != null ? completion : raw;
        this.finishReason = finishReason != null ? finishReason : this.finishReason;
        this.usage = usage != null ? usage : this.usage;
    }

    void ended() {
        endAt = sinceStart();
    }

    private long sinceStart() {
        return nanoTime.getAsLong() - startNanos;
    }

    long bytes() {
        return bytes;
    }

    /** Everything so far; {@code finished} if the answer ended normally. */
    ChatCompletion snapshot(boolean finished) {
        long duration = endAt >= 0 ? endAt : sinceStart();
        ChatCompletion.Builder b = ChatCompletion.builder()
                .model(model)
                .text(text == null ? "" : text.toString())
                .raw(raw)
                .finishReason(finishReason)
                .usage(usage)
                .finished(finished)
                .timeToFirstByte(firstByteAt < 0 ? null : Duration.ofNanos(firstByteAt))
                .timeToFirstText(firstTextAt < 0 ? null : Duration.ofNanos(firstTextAt))
                .duration(Duration.ofNanos(duration))
                .bytesReceived(bytes)
                .chunksReceived(chunks);
        headers.forEach(b::header);
        return b.build();
    }

    /** Records the ended call's figures; call once, after {@link #ended()}. */
    void record(Metrics metrics, String transport, Metrics.Outcome outcome) {
        metrics.record(model, transport, outcome, firstByteAt, firstTextAt, endAt, bytes, chunks);
    }

    /** For the log: bytes and time, never content. */
    String summary() {
        return bytes + " bytes in " + Duration.ofNanos(endAt).toMillis() + " ms";
    }
}
