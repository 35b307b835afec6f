package dev.chat852.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * An answer's text as it grows, built for long answers: pieces are joined into blocks, each as long as
 * the text before it (up to {@link #MAX_BLOCK} characters), and the blocks into the whole text once, when
 * it is asked for. A {@code StringBuilder} allocates two to four times the text's size while it grows
 * (each doubling copies) and once more for {@code toString()}; here each character is copied once into
 * its block and once into the whole text, and joining strings sizes the result exactly. Blocks are few
 * and large, so young collections do not copy many medium-sized objects, as keeping every piece would.
 * Not thread-safe.
 */
final class TextSoFar {
    /** A block of this many characters (2 MiB as UTF-16) is a large object to the collector. */
    static final int MAX_BLOCK = 1 << 20;
    private static final int MIN_BLOCK = 1 << 14;

    private final List<String> blocks = new ArrayList<>();
    private final List<String> pieces = new ArrayList<>();
    private long blockChars;
    private int pieceChars;

    void append(String piece) {
        if (piece.isEmpty()) {
            return;
        }
        pieces.add(piece);
        pieceChars += piece.length();
        if (pieceChars >= Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, blockChars))) {
            blocks.add(String.join("", pieces));
            blockChars += pieceChars;
            pieces.clear();
            pieceChars = 0;
        }
    }

    long length() {
        return blockChars + pieceChars;
    }

    /** Blocks and pieces joined; throws {@link OutOfMemoryError} past the largest string, as a builder would. */
    @Override
    public String toString() {
        if (pieces.isEmpty() && blocks.size() == 1) {
            return blocks.get(0);
        }
        if (blocks.isEmpty()) {
            return String.join("", pieces);
        }
        List<String> all = new ArrayList<>(blocks.size() + pieces.size());
        all.addAll(blocks);
        all.addAll(pieces);
        return String.join("", all);
    }
}
