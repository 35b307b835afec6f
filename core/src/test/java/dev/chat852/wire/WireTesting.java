package dev.chat852.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Test kit for the decoders: ways to feed bytes, chunkings, a recorder, and a reference decoder written
 * the obvious way (whole body, indexOf) to compare against.
 *
 * <p>Events are strings so that failures read well: {@code T:<text>} (text bytes as ISO-8859-1, so
 * byte-exact), {@code H:<header>} (likewise), {@code END}, {@code ERR:<kind>@<offset>}. Adjacent text
 * is merged, because chunking may split it anywhere.
 */
final class WireTesting {
    private WireTesting() {
    }

    static final String START = "start852";
    static final String END = "end852";
    static final String TRAILER = "undefined";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The event for text given as UTF-8 source text. */
    static String text(String utf8Text) {
        return "T:" + latin1(utf8(utf8Text));
    }

    static String header(String utf8Text) {
        return "H:" + latin1(utf8(utf8Text));
    }

    /** How bytes reach the decoder: each way must give the same result. */
    enum Feeder {
        /** Slices of one big array, padded with marker-like junk on both sides. */
        PADDED_ARRAY,
        /** One array reused for every chunk and scribbled over after each feed. */
        REUSED_SCRIBBLED_ARRAY,
        /** Heap ByteBuffer with position and limit inside junk. */
        HEAP_BUFFER,
        /** Read-only heap ByteBuffer (no accessible array), as some HTTP clients hand out. */
        READ_ONLY_BUFFER,
        /** Direct ByteBuffer, as Netty hands out. */
        DIRECT_BUFFER,
        /**
         * Slices of an array whose bytes just outside the slice would complete a marker with the bytes
         * just inside it ({@code start85|2end852}): a decoder that reads one byte too far, either way, sees one.
         */
        MARKER_EDGE_ARRAY,
        /** A slice of a heap buffer: its array starts before its content ({@code arrayOffset() > 0}). */
        SLICED_HEAP_BUFFER;

        private static final byte[] JUNK = utf8("start852end852undefined8中");
        private static final byte[] EDGE_BEFORE = utf8("undefined8中start85");
        private static final byte[] EDGE_AFTER = utf8("2end852undefined");

        /** Feeds {@code body} cut at {@code cuts} (sorted, exclusive of 0 and length). */
        void feed(byte[] body, int[] cuts, Chunked target, IntConsumer afterEachFeed) {
            int prev = 0;
            byte[] reused = new byte[body.length + 2 * JUNK.length];
            for (int c = 0; c <= cuts.length; c++) {
                int end = c < cuts.length ? cuts[c] : body.length;
                feedOne(body, prev, end - prev, target, reused);
                afterEachFeed.accept(end);
                prev = end;
            }
        }

        private void feedOne(byte[] body, int from, int len, Chunked target, byte[] reused) {
            int pad = JUNK.length;
            byte[] padded = new byte[len + 2 * pad];
            System.arraycopy(JUNK, 0, padded, 0, pad);
            System.arraycopy(body, from, padded, pad, len);
            System.arraycopy(JUNK, 0, padded, pad + len, pad);
            switch (this) {
                case PADDED_ARRAY:
                    target.feed(padded, pad, len);
                    break;
                case SLICED_HEAP_BUFFER: {
                    ByteBuffer slice = ByteBuffer.wrap(padded, pad, len).slice();
                    target.feed(slice);
                    if (slice.hasRemaining()) {
                        throw new AssertionError("feed did not consume the buffer: " + slice);
                    }
                    break;
                }
                case MARKER_EDGE_ARRAY: {
                    byte[] edged = new byte[EDGE_BEFORE.length + len + EDGE_AFTER.length];
                    System.arraycopy(EDGE_BEFORE, 0, edged, 0, EDGE_BEFORE.length);
                    System.arraycopy(body, from, edged, EDGE_BEFORE.length, len);
                    System.arraycopy(EDGE_AFTER, 0, edged, EDGE_BEFORE.length + len, EDGE_AFTER.length);
                    target.feed(edged, EDGE_BEFORE.length, len);
                    break;
                }
                case REUSED_SCRIBBLED_ARRAY:
                    System.arraycopy(body, from, reused, 3, len);
                    target.feed(reused, 3, len);
                    for (int i = 0; i < reused.length; i++) {
                        reused[i] = JUNK[i % JUNK.length];
                    }
                    break;
                case HEAP_BUFFER:
                case READ_ONLY_BUFFER:
                case DIRECT_BUFFER: {
                    ByteBuffer b;
                    if (this == DIRECT_BUFFER) {
                        b = ByteBuffer.allocateDirect(padded.length);
                        b.put(padded).clear();
                    } else {
                        b = ByteBuffer.wrap(padded);
                        if (this == READ_ONLY_BUFFER) {
                            b = b.asReadOnlyBuffer();
                        }
                    }
                    b.position(pad).limit(pad + len);
                    target.feed(b);
                    if (b.position() != b.limit()) {
                        throw new AssertionError("feed did not consume the buffer: " + b);
                    }
                    break;
                }
                default:
                    throw new AssertionError(this);
            }
        }
    }

    /** Both decoders' feeding side. */
    interface Chunked {
        void feed(byte[] a, int off, int len);

        void feed(ByteBuffer b);
    }

    static Chunked of(FrameDecoder d) {
        return new Chunked() {
            public void feed(byte[] a, int off, int len) {
                d.feed(a, off, len);
            }

            public void feed(ByteBuffer b) {
                d.feed(b);
            }
        };
    }

    static Chunked of(StreamDecoder d) {
        return new Chunked() {
            public void feed(byte[] a, int off, int len) {
                d.feed(a, off, len);
            }

            public void feed(ByteBuffer b) {
                d.feed(b);
            }
        };
    }

    // ---- chunkings -------------------------------------------------------------------------------

    static int[] fixed(int length, int size) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = size; i < length; i += size) {
            cuts.add(i);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] random(int length, Random random, int maxChunk) {
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1 + random.nextInt(maxChunk); i < length; i += 1 + random.nextInt(maxChunk)) {
            cuts.add(i);
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] at(int... cuts) {
        return cuts;
    }

    // ---- recording -------------------------------------------------------------------------------

    /** Records frame events, merging adjacent text, and checks the handler contract on the way. */
    static final class FrameRecorder implements FrameHandler {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream pendingText = new ByteArrayOutputStream();
        FramingException error;
        long textBytes;

        @Override
        public void onText(ByteBuffer text) {
            check(text);
            if (!text.hasRemaining()) {
                throw new AssertionError("empty text delivered");
            }
            byte[] b = new byte[text.remaining()];
            text.get(b);
            pendingText.writeBytes(b);
            textBytes += b.length;
        }

        @Override
        public void onHeader(ByteBuffer header) {
            check(header);
            byte[] b = new byte[header.remaining()];
            header.get(b);
            flushText();
            events.add("H:" + latin1(b));
        }

        @Override
        public void onEnd() {
            flushText();
            events.add("END");
        }

        @Override
        public void onError(FramingException e) {
            flushText();
            if (error != null) {
                throw new AssertionError("onError called twice");
            }
            error = e;
            events.add("ERR:" + e.kind() + "@" + e.streamOffset());
        }

        private static void check(ByteBuffer b) {
            if (!b.isReadOnly()) {
                throw new AssertionError("decoder handed out a writable buffer");
            }
        }

        void flushText() {
            if (pendingText.size() > 0) {
                events.add("T:" + latin1(pendingText.toByteArray()));
                pendingText.reset();
            }
        }

        List<String> events() {
            flushText();
            return events;
        }
    }

    // ---- the reference decoder -------------------------------------------------------------------

    /** Decodes a whole body the obvious way; the spec in executable form. */
    static List<String> reference(byte[] body, int maxHeader) {
        String s = latin1(body); // byte-exact: indexOf on ASCII markers works on the bytes
        List<String> events = new ArrayList<>();
        int i = 0;
        while (true) {
            int start = s.indexOf(START, i);
            if (start < 0) {
                String text = s.substring(i);
                if (text.endsWith(TRAILER)) {
                    text = text.substring(0, text.length() - TRAILER.length());
                }
                addText(events, text);
                events.add("END");
                return events;
            }
            addText(events, s.substring(i, start));
            int end = s.indexOf(END, start + START.length());
            int contentLength = (end < 0 ? s.length() : end) - start - START.length();
            if (contentLength > maxHeader) {
                events.add("ERR:HEADER_TOO_LARGE@" + start);
                return events;
            }
            if (end < 0) {
                events.add("ERR:UNTERMINATED_HEADER@" + start);
                return events;
            }
            events.add("H:" + s.substring(start + START.length(), end));
            i = end + END.length();
        }
    }

    /**
     * What the decoder must have delivered when a stream fails after {@code prefix}
     * ({@code streamFailed()}, rule 5): the text as {@link #reference} gives it, with no end event; an
     * unterminated block at the break is dropped, unless the header bytes the decoder had already taken
     * (all but a trailing prefix of end852, which it holds back) were past the bound.
     */
    static List<String> referenceOnFailure(byte[] prefix, int maxHeader) {
        List<String> events = new ArrayList<>(reference(prefix, maxHeader));
        String last = events.remove(events.size() - 1);
        if (last.startsWith("ERR:")) {
            String s = latin1(prefix);
            int start = Integer.parseInt(last.substring(last.indexOf('@') + 1));
            String content = s.substring(start + START.length());
            boolean closed = content.contains(END);
            int held = 0;
            for (int k = Math.min(END.length() - 1, content.length()); k > 0 && held == 0; k--) {
                if (END.startsWith(content.substring(content.length() - k))) {
                    held = k;
                }
            }
            if (closed || content.length() - held > maxHeader) {
                events.add("ERR:HEADER_TOO_LARGE@" + start); // found while feeding, before the break
            }
        }
        return events;
    }

    private static void addText(List<String> events, String text) {
        if (text.isEmpty()) {
            return;
        }
        int last = events.size() - 1;
        if (last >= 0 && events.get(last).startsWith("T:")) {
            events.set(last, events.get(last) + text);
        } else {
            events.add("T:" + text);
        }
    }

    /**
     * The text runs the frame decoder must have delivered once {@code prefix} has been fed (rule 5): all
     * text in it except a tail that could still be part of a marker or the trailer. Runs are separated
     * by header blocks; the last is still open if the prefix ends outside a block.
     */
    static List<byte[]> deliverableRuns(byte[] prefix, int maxHeader, boolean[] lastRunOpen) {
        String s = latin1(prefix);
        List<byte[]> runs = new ArrayList<>();
        int i = 0;
        while (true) {
            int start = s.indexOf(START, i);
            if (start < 0) {
                break;
            }
            runs.add(s.substring(i, start).getBytes(StandardCharsets.ISO_8859_1));
            int end = s.indexOf(END, start + START.length());
            if (end < 0 || end - start - START.length() > maxHeader) {
                lastRunOpen[0] = false; // inside a block (or failed): nothing more can be text
                return runs;
            }
            i = end + END.length();
        }
        String tail = s.substring(i);
        runs.add(tail.substring(0, tail.length() - holdableMarker(tail)).getBytes(StandardCharsets.ISO_8859_1));
        lastRunOpen[0] = true;
        return runs;
    }

    /** Text bytes the frame decoder must have delivered once {@code prefix} has been fed. */
    static long deliverableText(byte[] prefix, int maxHeader) {
        return deliverableRuns(prefix, maxHeader, new boolean[1]).stream().mapToLong(r -> r.length).sum();
    }

    /**
     * The text the string decoder must have delivered once {@code prefix} has been fed: each finished run
     * decoded whole; of the open run, all but an unfinished character at its end.
     */
    static String deliverableString(byte[] prefix, int maxHeader) {
        boolean[] open = new boolean[1];
        List<byte[]> runs = deliverableRuns(prefix, maxHeader, open);
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < runs.size(); r++) {
            byte[] run = runs.get(r);
            int len = run.length;
            if (r == runs.size() - 1 && open[0]) {
                for (int k = Math.min(3, len); k > 0; k--) {
                    if (isIncompleteCharacter(Arrays.copyOfRange(run, len - k, len))) {
                        len -= k;
                        break;
                    }
                }
            }
            text.append(new String(run, 0, len, StandardCharsets.UTF_8));
        }
        return text.toString();
    }

    /** Longest suffix that may legitimately be held back: a prefix of start852, or of (or all of) undefined. */
    private static int holdableMarker(String tail) {
        for (int k = Math.min(TRAILER.length(), tail.length()); k > 0; k--) {
            String suffix = tail.substring(tail.length() - k);
            if ((k < START.length() && START.startsWith(suffix)) || TRAILER.startsWith(suffix)) {
                return k;
            }
        }
        return 0;
    }

    private static final byte[] CONTINUATIONS = {(byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F,
        (byte) 0xA0, (byte) 0xBF};

    /**
     * True if {@code bytes} is a proper prefix of some valid UTF-8 character (tried by brute force), or
     * the first two bytes of an encoded surrogate, which the JDK replaces as one unit.
     */
    static boolean isIncompleteCharacter(byte[] bytes) {
        int lead = bytes[0] & 0xFF;
        if (lead == 0xED && bytes.length == 2 && (bytes[1] & 0xC0) == 0x80) {
            return true;
        }
        int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (need <= bytes.length) {
            return false;
        }
        int missing = need - bytes.length;
        int combos = (int) Math.pow(CONTINUATIONS.length, missing);
        for (int c = 0; c < combos; c++) {
            byte[] candidate = Arrays.copyOf(bytes, need);
            for (int m = 0, x = c; m < missing; m++, x /= CONTINUATIONS.length) {
                candidate[bytes.length + m] = CONTINUATIONS[x % CONTINUATIONS.length];
            }
            if (strictlyValid(candidate)) {
                return true;
            }
        }
        return false;
    }

    private static boolean strictlyValid(byte[] b) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer unused = d.decode(ByteBuffer.wrap(b));
            return unused.length() > 0;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** The string-level events expected from frame-level ones: each text run decoded whole. */
    static List<String> asStrings(List<String> frameEvents) {
        List<String> out = new ArrayList<>();
        for (String e : frameEvents) {
            if (e.startsWith("T:") || e.startsWith("H:")) {
                out.add(e.substring(0, 2) + new String(e.substring(2).getBytes(StandardCharsets.ISO_8859_1),
                        StandardCharsets.UTF_8));
            } else {
                out.add(e);
            }
        }
        return out;
    }
}
