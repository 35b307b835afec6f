package dev.chat852.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A scripted response, independent of the server that plays it: the kit's cases describe what they
 * want with it, the raw-socket {@link TestServer} plays all of it as it is, and the mock server's
 * adapter turns it into a recording with faults. A server that cannot play part of a script says so
 * with a JUnit assumption naming the missing {@link KitServer.Capability}, so the case is skipped
 * rather than passed.
 *
 * <p>A response is a status, headers and a list of {@linkplain Step steps}: body chunks, pauses, an
 * endless stall, a gate, a reset (RST) or a close (FIN). Immutable.
 */
public final class KitResponse {

    /** How the body is delimited. */
    public enum Framing {
        /** {@code Transfer-Encoding: chunked}; each written piece of body is one HTTP chunk. */
        CHUNKED,
        /** {@code Content-Length} (needs a finite body); the connection stays open. */
        CONTENT_LENGTH,
        /** No length: the server closes the connection at the end of the body. */
        CLOSE
    }

    /** A latch a response can wait on ({@link Builder#awaitGate}); the test opens it. */
    public static final class Gate {
        private final CountDownLatch latch = new CountDownLatch(1);

        public void open() {
            latch.countDown();
        }

        public boolean isOpen() {
            return latch.getCount() == 0;
        }
    }

    /** One thing a response does after its head. */
    public sealed interface Step permits Chunk, Pause, StallForever, AwaitGate, Reset, Close, Repeat {
    }

    /** Body bytes written and flushed at once (one HTTP chunk when chunked). */
    public record Chunk(byte[] bytes) implements Step {
        public Chunk {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public String toString() {
            return "Chunk[" + bytes.length + " bytes]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Chunk && Arrays.equals(((Chunk) o).bytes, bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    /** Nothing written for a while. */
    public record Pause(Duration duration) implements Step {
    }

    /** Nothing written ever again: the response waits until the client goes or the server closes. */
    public record StallForever() implements Step {
    }

    /** Nothing written until the test opens the gate (needs {@link KitServer.Capability#GATES}). */
    public record AwaitGate(Gate gate) implements Step {
    }

    /** The connection is reset (TCP RST) here. */
    public record Reset() implements Step {
    }

    /** The connection is closed normally (FIN) here, whatever the framing promised. */
    public record Close() implements Step {
    }

    /**
     * {@code unit} written {@code times} times, each a separate flush, with {@code pause} after each;
     * {@code times == Long.MAX_VALUE} means until the client goes.
     */
    public record Repeat(byte[] unit, long times, Duration pause) implements Step {
        public Repeat {
            unit = unit.clone();
        }

        @Override
        public byte[] unit() {
            return unit.clone();
        }

        /** Whether the body never ends by itself. */
        public boolean endless() {
            return times == Long.MAX_VALUE;
        }

        @Override
        public String toString() {
            return "Repeat[" + unit.length + " bytes x " + (endless() ? "forever" : times) + ", pause " + pause + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Repeat && Arrays.equals(((Repeat) o).unit, unit) && ((Repeat) o).times == times
                    && ((Repeat) o).pause.equals(pause);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(unit), times, pause);
        }
    }

    private final int status;
    private final String reason;
    private final List<String[]> headers;
    private final List<Step> steps;
    private final Framing framing;
    private final boolean framingRequired;
    private final Duration bytePause;
    private final Duration delayBeforeStatus;
    private final boolean stallBeforeStatus;
    private final long resetAfterBodyBytes;
    private final boolean closeAfter;
    private final int sendBufferSize;

    private KitResponse(Builder b) {
        this.status = b.status;
        this.reason = b.reason;
        this.headers = List.copyOf(b.headers);
        this.steps = List.copyOf(b.steps);
        this.framing = b.framing;
        this.framingRequired = b.framingRequired;
        this.bytePause = b.bytePause;
        this.delayBeforeStatus = b.delayBeforeStatus;
        this.stallBeforeStatus = b.stallBeforeStatus;
        this.resetAfterBodyBytes = b.resetAfterBodyBytes;
        this.closeAfter = b.closeAfter;
        this.sendBufferSize = b.sendBufferSize;
        if (framingRequired && framing == Framing.CONTENT_LENGTH && contentLength() < 0) {
            throw new IllegalStateException("a Content-Length response needs a finite body");
        }
    }

    /** A builder: 200, {@code text/event-stream}, chunked, no body. */
    public static Builder builder() {
        return new Builder();
    }

    /** A 200 streamed body written {@code chunkSize} bytes per flush. */
    public static KitResponse stream(byte[] body, int chunkSize) {
        return builder().chunks(body, chunkSize, Duration.ZERO).build();
    }

    /** {@link #stream(byte[], int)} of UTF-8 text. */
    public static KitResponse stream(String body, int chunkSize) {
        return stream(body.getBytes(StandardCharsets.UTF_8), chunkSize);
    }

    /**
     * A JSON body in one piece. The raw-socket server frames it with a Content-Length, as the API does;
     * a server that frames bodies its own way may use chunks: the framing is not what such a case tests.
     */
    public static KitResponse json(int status, String json) {
        return builder().status(status).contentType("application/json; charset=utf-8")
                .preferredFraming(Framing.CONTENT_LENGTH).chunk(json).build();
    }

    /** A {@code text/plain} body in one piece, framed like {@link #json}. */
    public static KitResponse text(int status, String text) {
        return builder().status(status).contentType("text/plain; charset=utf-8")
                .preferredFraming(Framing.CONTENT_LENGTH).chunk(text).build();
    }

    public int status() {
        return status;
    }

    /** The reason phrase, or null for the server's usual one. */
    public String reason() {
        return reason;
    }

    /** Header lines in order, as {@code {name, value}} pairs (copies). Includes the Content-Type. */
    public List<String[]> headers() {
        List<String[]> copy = new ArrayList<>();
        for (String[] h : headers) {
            copy.add(h.clone());
        }
        return copy;
    }

    public List<Step> steps() {
        return steps;
    }

    /** How the body is delimited. */
    public Framing framing() {
        return framing;
    }

    /**
     * True if the case chose the framing itself ({@link Builder#framing}) because framing is what it
     * tests; false if the framing is the shortcut's usual one and any framing would do.
     */
    public boolean framingRequired() {
        return framingRequired;
    }

    /** Whether every byte on the wire (head and chunk framing too) is written and flushed alone. */
    public boolean byteByByte() {
        return bytePause != null;
    }

    /** With {@link #byteByByte()}, the pause before each byte. */
    public Duration bytePause() {
        return bytePause == null ? Duration.ZERO : bytePause;
    }

    /** The wait before the status line ({@link Duration#ZERO}: none). */
    public Duration delayBeforeStatus() {
        return delayBeforeStatus;
    }

    /** Whether the status line is never written. */
    public boolean stallBeforeStatus() {
        return stallBeforeStatus;
    }

    /** Reset (RST) once this many body bytes are written; -1 for never. */
    public long resetAfterBodyBytes() {
        return resetAfterBodyBytes;
    }

    /** Whether the connection is closed after the response ({@code Connection: close}). */
    public boolean closeAfter() {
        return closeAfter;
    }

    /** SO_SNDBUF for the connection, 0 for the system's. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** The body's length if finite, else -1. */
    public long contentLength() {
        long sum = 0;
        for (Step s : steps) {
            if (s instanceof Chunk) {
                sum += ((Chunk) s).bytes.length;
            } else if (s instanceof Repeat) {
                Repeat r = (Repeat) s;
                if (r.endless()) {
                    return -1;
                }
                sum += r.unit.length * r.times;
            }
        }
        return sum;
    }

    @Override
    public String toString() {
        return "KitResponse{" + status + ", " + framing + (framingRequired ? " (required)" : "") + ", " + steps + "}";
    }

    /** Builds a {@link KitResponse}. */
    public static final class Builder {
        private int status = 200;
        private String reason;
        private final List<String[]> headers = new ArrayList<>();
        private boolean contentTypeSet;
        private final List<Step> steps = new ArrayList<>();
        private Framing framing = Framing.CHUNKED;
        private boolean framingRequired;
        private Duration bytePause;
        private Duration delayBeforeStatus = Duration.ZERO;
        private boolean stallBeforeStatus;
        private long resetAfterBodyBytes = -1;
        private boolean closeAfter;
        private int sendBufferSize;

        private Builder() {
        }

        public Builder status(int status) {
            this.status = status;
            return this;
        }

        public Builder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** Adds a header line (sent in order, as given). */
        public Builder header(String name, String value) {
            headers.add(new String[] {name, value});
            if (name.equalsIgnoreCase("content-type")) {
                contentTypeSet = true;
            }
            return this;
        }

        public Builder contentType(String value) {
            return header("Content-Type", value);
        }

        /** Delimits the body this way: the case tests this framing, so a server that cannot do it skips. */
        public Builder framing(Framing framing) {
            this.framing = Objects.requireNonNull(framing, "framing");
            this.framingRequired = true;
            return this;
        }

        private Builder preferredFraming(Framing framing) {
            this.framing = framing;
            this.framingRequired = false;
            return this;
        }

        /** Writes and flushes every byte of the response (head, framing, body) alone, pausing before each. */
        public Builder byteByByte(Duration pauseBeforeEachByte) {
            this.bytePause = Objects.requireNonNull(pauseBeforeEachByte, "pauseBeforeEachByte");
            return this;
        }

        /** Waits before writing the status line. */
        public Builder delayBeforeStatus(Duration delay) {
            this.delayBeforeStatus = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Never writes the status line: waits until the client goes or the server closes. */
        public Builder stallBeforeStatus() {
            this.stallBeforeStatus = true;
            return this;
        }

        /** Resets the connection (RST) once this many body bytes have been written. */
        public Builder resetAfterBodyBytes(long n) {
            this.resetAfterBodyBytes = n;
            return this;
        }

        /** Closes the connection after this response ({@code Connection: close}). */
        public Builder closeAfter() {
            this.closeAfter = true;
            return this;
        }

        /** Sets SO_SNDBUF on the connection before writing. */
        public Builder sendBufferSize(int bytes) {
            this.sendBufferSize = bytes;
            return this;
        }

        /** A piece of body, written and flushed at once. */
        public Builder chunk(byte[] bytes) {
            steps.add(new Chunk(bytes));
            return this;
        }

        /** A piece of UTF-8 text, written and flushed at once. */
        public Builder chunk(String text) {
            return chunk(text.getBytes(StandardCharsets.UTF_8));
        }

        /** {@code body} cut into pieces of {@code size} bytes, each flushed, with {@code pause} between them. */
        public Builder chunks(byte[] body, int size, Duration pause) {
            if (size <= 0) {
                throw new IllegalArgumentException("size must be > 0");
            }
            for (int i = 0; i < body.length; i += size) {
                if (i > 0 && !pause.isZero()) {
                    pause(pause);
                }
                chunk(Arrays.copyOfRange(body, i, Math.min(body.length, i + size)));
            }
            return this;
        }

        /** {@link #chunks(byte[], int, Duration)} of UTF-8 text. */
        public Builder chunks(String body, int size, Duration pause) {
            return chunks(body.getBytes(StandardCharsets.UTF_8), size, pause);
        }

        /** {@code unit} {@code times} times (Long.MAX_VALUE: until the client goes), with {@code pause} after each. */
        public Builder repeat(byte[] unit, long times, Duration pause) {
            steps.add(new Repeat(unit, times, pause));
            return this;
        }

        /** Stops writing for a while. */
        public Builder pause(Duration d) {
            steps.add(new Pause(d));
            return this;
        }

        /** Stops writing for good: waits until the client goes or the server closes. */
        public Builder stallForever() {
            steps.add(new StallForever());
            return this;
        }

        /** Waits until the test opens the gate (or the client goes). */
        public Builder awaitGate(Gate gate) {
            steps.add(new AwaitGate(Objects.requireNonNull(gate, "gate")));
            return this;
        }

        /** Resets the connection (RST) here. */
        public Builder reset() {
            steps.add(new Reset());
            return this;
        }

        /** Closes the connection normally (FIN) here, whatever the framing promised. */
        public Builder closeConnection() {
            steps.add(new Close());
            return this;
        }

        public KitResponse build() {
            if (!contentTypeSet) {
                header("Content-Type", "text/event-stream; charset=utf-8");
            }
            return new KitResponse(this);
        }
    }
}
