package dev.chat852.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Test kit for the event-stream decoder: a recorder, adapters to {@link WireTesting}'s feeders, and a
 * reference decoder written the obvious way (the whole body, line by line, as the WHATWG algorithm
 * reads) to compare against.
 *
 * <p>Events are strings so that failures read well: {@code E:<type>|<data>|<last event id>} (data bytes
 * as ISO-8859-1, so byte-exact), {@code R:<millis>}, {@code END}, {@code ERR:<kind>@<offset>}.
 */
final class SseTesting {
    private SseTesting() {
    }

    static String event(String type, String utf8Data, String id) {
        return "E:" + type + "|" + WireTesting.latin1(WireTesting.utf8(utf8Data)) + "|" + id;
    }

    static String message(String utf8Data) {
        return event("message", utf8Data, "");
    }

    static WireTesting.Chunked of(SseDecoder d) {
        return new WireTesting.Chunked() {
            public void feed(byte[] a, int off, int len) {
                d.feed(a, off, len);
            }

            public void feed(ByteBuffer b) {
                d.feed(b);
            }
        };
    }

    static WireTesting.Chunked of(OpenAiStreamDecoder d) {
        return new WireTesting.Chunked() {
            public void feed(byte[] a, int off, int len) {
                d.feed(a, off, len);
            }

            public void feed(ByteBuffer b) {
                d.feed(b);
            }
        };
    }

    /** Records events and checks the handler contract on the way. */
    static final class Recorder implements SseHandler {
        final List<String> events = new ArrayList<>();
        FramingException error;

        @Override
        public void onEvent(String type, ByteBuffer data, String lastEventId) {
            if (!data.isReadOnly()) {
                throw new AssertionError("decoder handed out a writable buffer");
            }
            byte[] b = new byte[data.remaining()];
            data.get(b);
            events.add("E:" + type + "|" + WireTesting.latin1(b) + "|" + lastEventId);
        }

        @Override
        public void onRetry(long millis) {
            events.add("R:" + millis);
        }

        @Override
        public void onEnd() {
            events.add("END");
        }

        @Override
        public void onError(FramingException e) {
            if (error != null) {
                throw new AssertionError("onError called twice");
            }
            error = e;
            events.add("ERR:" + e.kind() + "@" + e.streamOffset());
        }
    }

    /** Decodes {@code body} cut at {@code cuts} through {@code feeder}; checks after each feed that every complete event is out. */
    static List<String> decode(byte[] body, int[] cuts, WireTesting.Feeder feeder, int maxEvent, String how) {
        Recorder recorder = new Recorder();
        SseDecoder decoder = new SseDecoder(recorder, maxEvent);
        feeder.feed(body, cuts, of(decoder), fed -> {
            if (recorder.error == null) {
                assertThat(recorder.events).as("events after %d bytes fed (%s)", fed, how)
                        .isEqualTo(reference(Arrays.copyOf(body, fed), maxEvent, false));
            }
        });
        decoder.finish();
        return recorder.events;
    }

    // ---- the reference decoder -------------------------------------------------------------------

    /**
     * Decodes a body the obvious way. With {@code atEnd}, the body is the whole stream: a last line
     * without its line break is a line, an event still open is dispatched, and {@code END} follows.
     * Without, the body is what has been fed so far: only complete lines count, and events dispatched
     * by their blank line are all there must be. An event whose data (or an event or id value) passes
     * {@code max} bytes ends the stream with {@code ERR:EVENT_TOO_LARGE} at its first field line (a
     * partial byte order mark at the start is no field line: it is skipped like a comment).
     */
    static List<String> reference(byte[] body, int max, boolean atEnd) {
        List<String> out = new ArrayList<>();
        int i = 0;
        boolean garbageFirstLine = false;
        if (startsWith(body, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})) {
            i = 3;
        } else {
            garbageFirstLine = body.length > 0 && (body[0] & 0xFF) == 0xEF; // part of a byte order mark, then not
        }
        List<byte[]> data = new ArrayList<>();
        String type = "";
        String id = "";
        long eventStart = -1;
        boolean firstLine = true;
        while (i < body.length) {
            int eol = i;
            while (eol < body.length && body[eol] != '\n' && body[eol] != '\r') {
                eol++;
            }
            if (eol == body.length && !atEnd) {
                break; // an incomplete line: not yet a line
            }
            byte[] line = Arrays.copyOfRange(body, i, eol);
            int next = eol == body.length ? eol : body[eol] == '\r' && eol + 1 < body.length && body[eol + 1] == '\n'
                    ? eol + 2 : eol + 1;
            long lineStart = i;
            boolean garbage = firstLine && garbageFirstLine;
            firstLine = false;
            i = next;
            if (line.length == 0) {
                if (!data.isEmpty()) {
                    out.add("E:" + (type.isEmpty() ? "message" : type) + "|" + join(data) + "|" + id);
                }
                data.clear();
                type = "";
                eventStart = -1;
                continue;
            }
            if (line[0] == ':' || garbage) {
                continue;
            }
            if (eventStart < 0) {
                eventStart = lineStart;
            }
            int colon = indexOf(line, (byte) ':');
            String field = WireTesting.latin1(colon < 0 ? line : Arrays.copyOf(line, colon));
            byte[] value = colon < 0 ? new byte[0] : Arrays.copyOfRange(line,
                    colon + 1 < line.length && line[colon + 1] == ' ' ? colon + 2 : colon + 1, line.length);
            switch (field) {
                case "data":
                    data.add(value);
                    if (size(data) > max) {
                        out.add("ERR:EVENT_TOO_LARGE@" + eventStart);
                        return out;
                    }
                    break;
                case "event":
                case "id":
                    if (value.length > max) {
                        out.add("ERR:EVENT_TOO_LARGE@" + eventStart);
                        return out;
                    }
                    if (field.equals("event")) {
                        type = new String(value, StandardCharsets.UTF_8);
                    } else if (indexOf(value, (byte) 0) < 0) {
                        id = new String(value, StandardCharsets.UTF_8);
                    }
                    break;
                case "retry":
                    String digits = WireTesting.latin1(value);
                    if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                        out.add("R:" + new BigInteger(digits).min(BigInteger.valueOf(Long.MAX_VALUE)));
                    }
                    break;
                default:
                    break;
            }
        }
        if (atEnd) {
            if (!data.isEmpty()) {
                out.add("E:" + (type.isEmpty() ? "message" : type) + "|" + join(data) + "|" + id);
            }
            out.add("END");
        }
        return out;
    }

    private static int size(List<byte[]> lines) {
        int n = lines.size() - 1;
        for (byte[] l : lines) {
            n += l.length;
        }
        return n;
    }

    private static String join(List<byte[]> lines) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            s.append(k == 0 ? "" : "\n").append(WireTesting.latin1(lines.get(k)));
        }
        return s.toString();
    }

    private static int indexOf(byte[] a, byte b) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] == b) {
                return k;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] a, byte[] prefix) {
        return a.length >= prefix.length && Arrays.equals(Arrays.copyOf(a, prefix.length), prefix);
    }
}
