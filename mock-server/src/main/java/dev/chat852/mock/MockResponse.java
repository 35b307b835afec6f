package dev.chat852.mock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the mock server sends for one request, as a {@link Dispatcher} returns it: a
 * {@link RecordedResponse} (status, headers, chunks with their timing, faults) and how it goes on the
 * wire: its framing, a reason phrase, gates that hold it back, one write per byte, the socket's send
 * buffer, and whether the connection closes after it. Every part has the default a recording replays
 * with. Immutable; a builder per response.
 *
 * <pre>{@code
 * RecordedResponse answer = RecordedResponse.builder().chunk(0, "start852{}end852").chunk(20, "你好").build();
 * Gate gate = new Gate();
 * MockResponse response = MockResponse.builder(answer)
 *         .framing(MockResponse.Framing.CONTENT_LENGTH)   // instead of chunked
 *         .reason("Fine")                                 // HTTP/1.1 200 Fine
 *         .hold(16, gate)                                 // after the header block, wait for gate.open()
 *         .build();
 * }</pre>
 */
public final class MockResponse {

    /** How the body is delimited on the wire. */
    public enum Framing {
        /** {@code Transfer-Encoding: chunked}: each segment is its own HTTP chunk. */
        CHUNKED,
        /** {@code Content-Length} of the whole recorded body (a fault that stops early sends fewer bytes). */
        CONTENT_LENGTH,
        /** Neither: the server closes the connection after the last byte ({@code Connection: close}). */
        CLOSE
    }

    /** A gate that holds the body back once {@code afterBytes} body bytes are sent. */
    public record Hold(long afterBytes, Gate gate) {
        public Hold {
            if (afterBytes < 0) {
                throw new IllegalArgumentException("afterBytes must be >= 0, was " + afterBytes);
            }
            Objects.requireNonNull(gate, "gate");
        }
    }

    private final RecordedResponse response;
    private final Framing framing;
    private final String reason;
    private final boolean closeConnection;
    private final Duration bytePause;
    private final int sendBufferSize;
    private final Gate headGate;
    private final List<Hold> holds;

    private MockResponse(Builder b) {
        this.response = b.response;
        this.framing = b.framing;
        this.reason = b.reason;
        this.closeConnection = b.closeConnection;
        this.bytePause = b.bytePause;
        this.sendBufferSize = b.sendBufferSize;
        this.headGate = b.headGate;
        List<Hold> sorted = new ArrayList<>(b.holds);
        sorted.sort(Comparator.comparingLong(Hold::afterBytes));
        this.holds = List.copyOf(sorted);
    }

    /** {@code response} as a recording of it replays: no option set. */
    public static MockResponse of(RecordedResponse response) {
        return builder(response).build();
    }

    /** A builder for sending {@code response}. */
    public static Builder builder(RecordedResponse response) {
        return new Builder(response);
    }

    /** A builder starting from this response and its options. */
    public Builder newBuilder() {
        Builder b = new Builder(response);
        b.framing = framing;
        b.reason = reason;
        b.closeConnection = closeConnection;
        b.bytePause = bytePause;
        b.sendBufferSize = sendBufferSize;
        b.headGate = headGate;
        b.holds.addAll(holds);
        return b;
    }

    /** Status, headers, chunks, timing and faults. */
    public RecordedResponse response() {
        return response;
    }

    /**
     * The framing, if set; otherwise the server's choice: chunked for a streamed answer,
     * {@code Content-Length} for a non-stream answer it builds and for a {@code status} fault.
     */
    public Optional<Framing> framing() {
        return Optional.ofNullable(framing);
    }

    /** The reason phrase of the status line, if set; otherwise the usual one for the status. */
    public Optional<String> reason() {
        return Optional.ofNullable(reason);
    }

    /** Whether the server closes the connection after this response, whatever the request asked. */
    public boolean closeConnection() {
        return closeConnection;
    }

    /**
     * If set, every byte of the response (status line, headers, chunk framing and body) is written and
     * flushed on its own, this long after the previous one.
     */
    public Optional<Duration> byteByByte() {
        return Optional.ofNullable(bytePause);
    }

    /** SO_SNDBUF set on the connection before the response, in bytes; 0 leaves the system's. */
    public int sendBufferSize() {
        return sendBufferSize;
    }

    /** A gate that holds back the status line, if any. */
    public Optional<Gate> headGate() {
        return Optional.ofNullable(headGate);
    }

    /** Gates that hold back the body, by offset. */
    public List<Hold> holds() {
        return holds;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("MockResponse[").append(response);
        if (framing != null) {
            s.append(", ").append(framing);
        }
        if (reason != null) {
            s.append(", reason \"").append(reason).append('"');
        }
        if (closeConnection) {
            s.append(", then close");
        }
        if (bytePause != null) {
            s.append(", byte by byte every ").append(bytePause.toNanos()).append(" ns");
        }
        if (sendBufferSize > 0) {
            s.append(", SO_SNDBUF ").append(sendBufferSize);
        }
        if (headGate != null) {
            s.append(", head held by ").append(headGate);
        }
        holds.forEach(h -> s.append(", held at ").append(h.afterBytes()).append(" by ").append(h.gate()));
        return s.append(']').toString();
    }

    /** Builds a {@link MockResponse}; not thread-safe. */
    public static final class Builder {
        private final RecordedResponse response;
        private Framing framing;
        private String reason;
        private boolean closeConnection;
        private Duration bytePause;
        private int sendBufferSize;
        private Gate headGate;
        private final List<Hold> holds = new ArrayList<>();

        private Builder(RecordedResponse response) {
            this.response = Objects.requireNonNull(response, "response");
        }

        /** Delimits the body this way (default: the server's choice, see {@link MockResponse#framing()}). */
        public Builder framing(Framing framing) {
            this.framing = Objects.requireNonNull(framing, "framing");
            return this;
        }

        /**
         * The status line's reason phrase, as in {@code HTTP/1.1 200 Fine}.
         *
         * @throws IllegalArgumentException if it holds a line break, another control character other than
         *     tab, or a character that is not one byte (ISO-8859-1): it could not be sent
         */
        public Builder reason(String reason) {
            Objects.requireNonNull(reason, "reason");
            for (int i = 0; i < reason.length(); i++) {
                char c = reason.charAt(i);
                if (c > 0xFF || c == 0x7F || c < 0x20 && c != '\t') {
                    throw new IllegalArgumentException("the reason phrase cannot hold character U+"
                            + String.format("%04X", (int) c) + " at index " + i);
                }
            }
            this.reason = reason;
            return this;
        }

        /** Closes the connection after this response ({@code Connection: close}), whatever the request asked. */
        public Builder closeConnection() {
            this.closeConnection = true;
            return this;
        }

        /**
         * Writes and flushes every byte of the response on its own (status line, headers, chunk framing
         * and body alike), {@code pauseBeforeEachByte} apart, so that a client's reads see one byte at a
         * time. Timers, not a sleeping thread: other connections are not held up.
         */
        public Builder byteByByte(Duration pauseBeforeEachByte) {
            Objects.requireNonNull(pauseBeforeEachByte, "pauseBeforeEachByte");
            if (pauseBeforeEachByte.isNegative() || pauseBeforeEachByte.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("the pause before each byte must be 0..1 s, was " + pauseBeforeEachByte);
            }
            this.bytePause = pauseBeforeEachByte;
            return this;
        }

        /**
         * Sets the connection's send buffer (SO_SNDBUF) before the response: a small one makes the server's
         * writes stop soon when the client stops reading, so back-pressure is visible in
         * {@link MockConnection#bodyBytesSent()}.
         */
        public Builder sendBufferSize(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("sendBufferSize must be > 0, was " + bytes);
            }
            this.sendBufferSize = bytes;
            return this;
        }

        /** Sends nothing, not even the status line, until {@code gate} opens. */
        public Builder hold(Gate gate) {
            this.headGate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * Once {@code afterBytes} body bytes are sent, sends nothing more until {@code gate} opens; then
         * the rest follows with its recorded gaps. A gate past the point where a fault ends the body is
         * never waited for; one at that very point is waited for before the fault.
         */
        public Builder hold(long afterBytes, Gate gate) {
            holds.add(new Hold(afterBytes, gate));
            return this;
        }

        public MockResponse build() {
            return new MockResponse(this);
        }
    }
}
