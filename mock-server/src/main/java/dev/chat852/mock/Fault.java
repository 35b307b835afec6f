package dev.chat852.mock;

import dev.chat852.protocol.ApiEnvelope;
import java.util.Locale;

/**
 * Something going wrong on purpose while a response is served. Byte offsets count response body
 * bytes as sent (after re-chunking, the same bytes), starting at 0; an offset past the end of the body
 * means "at the end, instead of the normal end of the response".
 *
 * <p>Each fault has a one-line form, used on the command line and in recording files, that
 * {@link #parse} reads and {@code toString()} writes:
 * <table>
 * <caption>Fault syntax</caption>
 * <tr><td>{@code reset:N}</td><td>{@link Reset}: after N body bytes, reset the connection (TCP RST)</td></tr>
 * <tr><td>{@code stall:N:MS}</td><td>{@link Stall}: after N body bytes, send nothing for MS milliseconds, then go on</td></tr>
 * <tr><td>{@code truncate:N}</td><td>{@link Truncate}: after N body bytes, close the connection cleanly, mid-body</td></tr>
 * <tr><td>{@code status:CODE}</td><td>{@link Status}: answer with HTTP status CODE and a JSON error body</td></tr>
 * <tr><td>{@code delay:MS}</td><td>{@link Delay}: wait MS milliseconds before the status line</td></tr>
 * </table>
 *
 * <pre>{@code
 * MockServer.builder().fault(Fault.parse("reset:100")).fault(Fault.stall(0, 2_000)) ...
 * }</pre>
 *
 * <p>When several faults apply, delays and stalls add up, and the ending fault (reset or truncate)
 * at the smallest offset wins; a stall at the same offset happens before it. Fault durations are
 * real time: the server's {@code speed} does not scale them, and each is at most
 * {@link RecordedResponse#MAX_DELAY_MS} (one day).
 */
public sealed interface Fault {

    /** After {@code afterBytes} body bytes, reset the connection: SO_LINGER 0, so the peer sees a TCP RST. */
    record Reset(long afterBytes) implements Fault {
        public Reset {
            requireOffset(afterBytes);
        }

        @Override
        public String toString() {
            return "reset:" + afterBytes;
        }
    }

    /** After {@code afterBytes} body bytes, send nothing for {@code millis} ms, then go on as recorded. */
    record Stall(long afterBytes, long millis) implements Fault {
        public Stall {
            requireOffset(afterBytes);
            requireMillis(millis);
        }

        @Override
        public String toString() {
            return "stall:" + afterBytes + ":" + millis;
        }
    }

    /**
     * After {@code afterBytes} body bytes, close the connection cleanly (FIN): the body is cut short,
     * with no terminating chunk (or fewer bytes than {@code Content-Length} said).
     */
    record Truncate(long afterBytes) implements Fault {
        public Truncate {
            requireOffset(afterBytes);
        }

        @Override
        public String toString() {
            return "truncate:" + afterBytes;
        }
    }

    /**
     * Answer with HTTP status {@code code} and {@code body} ({@code application/json}) instead of the
     * recording. {@link #status(int)} gives the upstream-style body
     * {@code {"code":CODE,"message":"chat852 mock: fault status CODE","data":null}}.
     */
    record Status(int code, String body) implements Fault {
        public Status {
            if (code < 100 || code > 599) {
                throw new IllegalArgumentException("HTTP status must be 100..599, was " + code);
            }
            if (body == null) {
                throw new IllegalArgumentException("body must not be null");
            }
        }

        @Override
        public String toString() {
            return "status:" + code;
        }
    }

    /** Wait {@code millis} ms before sending the status line. */
    record Delay(long millis) implements Fault {
        public Delay {
            requireMillis(millis);
        }

        @Override
        public String toString() {
            return "delay:" + millis;
        }
    }

    /** {@link Reset} after {@code afterBytes} body bytes. */
    static Fault reset(long afterBytes) {
        return new Reset(afterBytes);
    }

    /** {@link Stall} of {@code millis} ms after {@code afterBytes} body bytes. */
    static Fault stall(long afterBytes, long millis) {
        return new Stall(afterBytes, millis);
    }

    /** {@link Truncate} after {@code afterBytes} body bytes. */
    static Fault truncate(long afterBytes) {
        return new Truncate(afterBytes);
    }

    /** {@link Status} {@code code} with the upstream-style JSON error body. */
    static Fault status(int code) {
        return new Status(code, ApiEnvelope.error(code, "chat852 mock: fault status " + code));
    }

    /** {@link Status} {@code code} with this body, sent as {@code application/json}. */
    static Fault status(int code, String body) {
        return new Status(code, body);
    }

    /** {@link Delay} of {@code millis} ms before the status line. */
    static Fault delay(long millis) {
        return new Delay(millis);
    }

    /**
     * Reads the one-line form: {@code reset:N}, {@code stall:N:MS}, {@code truncate:N},
     * {@code status:CODE} or {@code delay:MS}.
     *
     * @throws IllegalArgumentException naming the accepted forms, if {@code spec} is none of them
     */
    static Fault parse(String spec) {
        String[] parts = spec.trim().split(":", -1);
        String kind = parts[0].toLowerCase(Locale.ROOT);
        try {
            switch (kind) {
                case "reset":
                    expectParts(parts, 2);
                    return reset(Long.parseLong(parts[1]));
                case "stall":
                    expectParts(parts, 3);
                    return stall(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
                case "truncate":
                    expectParts(parts, 2);
                    return truncate(Long.parseLong(parts[1]));
                case "status":
                    expectParts(parts, 2);
                    return status(Integer.parseInt(parts[1]));
                case "delay":
                    expectParts(parts, 2);
                    return delay(Long.parseLong(parts[1]));
                default:
                    throw new IllegalArgumentException("unknown kind");
            }
        } catch (IllegalArgumentException e) {
            // NumberFormatException's own message ("For input string: ...") is Java's, not the user's words
            String why = e instanceof NumberFormatException ? "a number is not a whole number" : e.getMessage();
            throw new IllegalArgumentException("bad fault '" + spec + "' (" + why
                    + "); expected reset:N | stall:N:MS | truncate:N | status:CODE | delay:MS", e);
        }
    }

    private static void expectParts(String[] parts, int count) {
        if (parts.length != count) {
            throw new IllegalArgumentException("wrong number of fields");
        }
    }

    private static void requireOffset(long afterBytes) {
        if (afterBytes < 0) {
            throw new IllegalArgumentException("byte offset must be >= 0, was " + afterBytes);
        }
    }

    private static void requireMillis(long millis) {
        if (millis < 0 || millis > RecordedResponse.MAX_DELAY_MS) {
            throw new IllegalArgumentException("milliseconds must be 0.." + RecordedResponse.MAX_DELAY_MS
                    + " (one day), was " + millis);
        }
    }
}
