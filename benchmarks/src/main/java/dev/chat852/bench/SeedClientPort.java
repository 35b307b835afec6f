package dev.chat852.bench;

import java.nio.charset.StandardCharsets;

/**
 * A faithful Java port of the per-chunk logic of the vendor's browser sample ({@code processText} in
 * the seed HTML), bugs included, as the baseline the decoder is measured against. One instance per
 * stream, like the sample's closure.
 *
 * <p>Left out: {@code innerHTML = messageHot} and {@code console.log}, which render and log rather
 * than decode. The accumulated message is a {@link StringBuilder} because JS engines build {@code +=}
 * concatenations as ropes, so appending is amortised O(1) there too.
 */
final class SeedClientPort {
    private final StringBuilder messageHot = new StringBuilder();
    private String headerData;
    private int count;

    /** One {@code reader.read()} result: {@code value} is {@code chunk[offset, offset + length)}. */
    void onChunk(byte[] chunk, int offset, int length) {
        // new TextDecoder().decode(value) without {stream: true}: every chunk decoded on its own, so a
        // character split between chunks becomes U+FFFD. (The BOM it would strip never occurs here.)
        String text = new String(chunk, offset, length, StandardCharsets.UTF_8);
        if (text.isEmpty()) { // if (text)
            return;
        }
        if (text.length() > 9 && text.endsWith("undefined")) { // text.slice(text.length - 9) === 'undefined'
            text = text.substring(0, text.length() - 9);
        }
        int start852Index = text.indexOf("start852");
        int end852Index = text.indexOf("end852");
        if (start852Index >= 0 && end852Index >= 0) {
            headerData = slice(text, start852Index + 8, end852Index);
            text = text.substring(end852Index + 6);
        }
        messageHot.append(text);
        count++;
    }

    /** The answer as the sample would show it (without its closing 【结束】). */
    CharSequence message() {
        return messageHot;
    }

    /** The last header the sample would have logged, or null. */
    String headerData() {
        return headerData;
    }

    /** How many chunks produced text (the sample's {@code count}). */
    int count() {
        return count;
    }

    /** JS {@code String.prototype.slice(begin, end)} for 0 <= begin, end <= length: empty if begin >= end. */
    private static String slice(String s, int begin, int end) {
        return begin >= end ? "" : s.substring(begin, end);
    }
}
