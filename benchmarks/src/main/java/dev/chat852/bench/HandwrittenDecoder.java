package dev.chat852.bench;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The streaming decode a user would write by hand for the chat body, without chat852, but correct: bytes
 * to characters with one {@link CharsetDecoder} that carries a split character over to the next read, then
 * a search for {@code start852}/{@code end852} in the characters, holding back only the end that could
 * still be the start of a marker or the stream's trailing {@code undefined}. The peer of chat852's {@link
 * dev.chat852.wire.StreamDecoder} in {@link TransportBenchmark}'s {@code handwritten} client.
 *
 * <p>Markers are ASCII, and in UTF-8 an ASCII byte is never part of another character, so searching the
 * decoded characters finds exactly what a byte search finds. Not thread-safe; one per stream.
 */
final class HandwrittenDecoder {
    private static final String START = "start852";
    private static final String END = "end852";
    private static final String TRAILER = "undefined";
    /** As chat852's default: a header block beyond this is an error, never unbounded memory. */
    static final int MAX_HEADER_CHARS = 64 * 1024;

    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private final Consumer<String> text;
    private final Consumer<String> header;
    /** Bytes not decoded yet: at most the start of one split character between feeds. */
    private ByteBuffer bytes = ByteBuffer.allocate(8192);
    private final CharBuffer chars = CharBuffer.allocate(8192);
    /** Characters not delivered yet: a possible marker start, or the header block being read. */
    private final StringBuilder pending = new StringBuilder();
    /** In a header block: where the search for {@code end852} goes on, so no character is searched twice. */
    private int searchFrom;
    private boolean inHeader;

    HandwrittenDecoder(Consumer<String> text, Consumer<String> header) {
        this.text = text;
        this.header = header;
    }

    void feed(byte[] b, int off, int len) {
        if (bytes.remaining() < len) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(bytes.capacity() * 2, bytes.position() + len));
            bytes.flip();
            bigger.put(bytes);
            bytes = bigger;
        }
        bytes.put(b, off, len);
        bytes.flip();
        decode(false);
        bytes.compact();
        scan(false);
    }

    /** The stream ended: a split character becomes U+FFFD, a trailing {@code undefined} is dropped. */
    void finish() {
        bytes.flip();
        decode(true);
        utf8.flush(chars);
        drain();
        scan(true);
        if (inHeader) {
            throw new IllegalStateException("the stream ended inside a header block (" + pending.length() + " chars)");
        }
    }

    private void decode(boolean endOfInput) {
        while (true) {
            CoderResult r = utf8.decode(bytes, chars, endOfInput);
            drain();
            if (r.isUnderflow()) {
                return;
            }
        }
    }

    private void drain() {
        chars.flip();
        pending.append(chars.array(), chars.position(), chars.remaining());
        chars.clear();
    }

    private void scan(boolean end) {
        int from = 0;
        while (true) {
            if (inHeader) {
                int e = pending.indexOf(END, Math.max(from, searchFrom));
                if (e < 0) {
                    if (pending.length() - from > MAX_HEADER_CHARS) {
                        throw new IllegalStateException("a header block longer than " + MAX_HEADER_CHARS + " chars");
                    }
                    searchFrom = Math.max(from, pending.length() - (END.length() - 1));
                    break;
                }
                header.accept(pending.substring(from, e));
                from = e + END.length();
                inHeader = false;
                continue;
            }
            int s = pending.indexOf(START, from);
            if (s >= 0) {
                emit(from, s);
                from = s + START.length();
                inHeader = true;
                searchFrom = from;
                continue;
            }
            int to = pending.length();
            if (end) {
                if (endsWith(pending, from, TRAILER)) {
                    to -= TRAILER.length();
                }
            } else {
                to -= Math.max(heldBack(pending, from, START, START.length() - 1), heldBack(pending, from, TRAILER, TRAILER.length()));
            }
            emit(from, to);
            from = to;
            break;
        }
        pending.delete(0, from);
        searchFrom -= from;
    }

    private void emit(int from, int to) {
        if (to > from) {
            text.accept(pending.substring(from, to));
        }
    }

    /** The length of the longest end of {@code s[from, )} that is a prefix of {@code marker}, at most {@code max}. */
    static int heldBack(CharSequence s, int from, String marker, int max) {
        for (int n = Math.min(max, s.length() - from); n > 0; n--) {
            if (regionEquals(s, s.length() - n, marker, n)) {
                return n;
            }
        }
        return 0;
    }

    private static boolean endsWith(CharSequence s, int from, String suffix) {
        return s.length() - from >= suffix.length() && regionEquals(s, s.length() - suffix.length(), suffix, suffix.length());
    }

    private static boolean regionEquals(CharSequence s, int at, String marker, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(at + i) != marker.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
