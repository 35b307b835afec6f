package dev.chat852.mock;

import java.util.Locale;

/**
 * How a replay cuts the recorded body into HTTP chunks. The bytes sent are always exactly the
 * recorded ones; only the boundaries move. Timing follows the recording: a chunk is sent when the
 * last of its bytes was received in the recording, so no byte arrives earlier than recorded.
 *
 * <p>One-line forms, read by {@link #parse} and written by {@code toString()}: {@code recorded},
 * {@code N} (fixed size), {@code random:SEED} or {@code random:SEED:MAX}, {@code bytes}.
 *
 * <pre>{@code
 * MockServer.builder().rechunk(Rechunk.parse("random:42")) ...
 * }</pre>
 */
public sealed interface Rechunk {

    /** The recorded boundaries (the default). */
    record AsRecorded() implements Rechunk {
        @Override
        public String toString() {
            return "recorded";
        }
    }

    /** Chunks of {@code size} bytes; the last one may be shorter. */
    record Fixed(int size) implements Rechunk {
        public Fixed {
            if (size < 1) {
                throw new IllegalArgumentException("chunk size must be >= 1, was " + size);
            }
        }

        @Override
        public String toString() {
            return size == 1 ? "bytes" : Integer.toString(size);
        }
    }

    /** Chunks of random sizes from 1 to {@code maxSize} bytes, the same for every replay with the same seed. */
    record Seeded(long seed, int maxSize) implements Rechunk {
        public Seeded {
            if (maxSize < 1) {
                throw new IllegalArgumentException("maximum chunk size must be >= 1, was " + maxSize);
            }
        }

        @Override
        public String toString() {
            return "random:" + seed + (maxSize == DEFAULT_RANDOM_MAX ? "" : ":" + maxSize);
        }
    }

    /** Default largest chunk of {@link #random(long)}: a few characters, like the real service. */
    int DEFAULT_RANDOM_MAX = 16;

    /** The recorded boundaries. */
    static Rechunk asRecorded() {
        return new AsRecorded();
    }

    /** Chunks of {@code size} bytes. */
    static Rechunk fixed(int size) {
        return new Fixed(size);
    }

    /** Seeded random sizes from 1 to {@value #DEFAULT_RANDOM_MAX} bytes. */
    static Rechunk random(long seed) {
        return new Seeded(seed, DEFAULT_RANDOM_MAX);
    }

    /** Seeded random sizes from 1 to {@code maxSize} bytes. */
    static Rechunk random(long seed, int maxSize) {
        return new Seeded(seed, maxSize);
    }

    /** One byte per chunk: every multi-byte character and marker is split. */
    static Rechunk bytes() {
        return new Fixed(1);
    }

    /**
     * Reads {@code recorded}, {@code N}, {@code random:SEED}, {@code random:SEED:MAX} or {@code bytes}.
     *
     * @throws IllegalArgumentException naming the accepted forms, if {@code spec} is none of them
     */
    static Rechunk parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        try {
            if (s.equals("recorded")) {
                return asRecorded();
            }
            if (s.equals("bytes")) {
                return bytes();
            }
            if (s.startsWith("random:")) {
                String[] parts = s.split(":", -1);
                if (parts.length == 2) {
                    return random(Long.parseLong(parts[1]));
                }
                if (parts.length == 3) {
                    return random(Long.parseLong(parts[1]), Integer.parseInt(parts[2]));
                }
                throw new IllegalArgumentException("wrong number of fields");
            }
            return fixed(Integer.parseInt(s));
        } catch (IllegalArgumentException e) {
            // NumberFormatException's own message ("For input string: ...") is Java's, not the user's words
            String why = e instanceof NumberFormatException ? "a number is not a whole number" : e.getMessage();
            throw new IllegalArgumentException("bad re-chunking '" + spec + "' (" + why
                    + "); expected recorded | N | random:SEED[:MAX] | bytes", e);
        }
    }
}
