package dev.chat852.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The prompt of {@code chat}: its PROMPT words, with standard input where a word is '-'. */
final class Prompts {
    private Prompts() {
    }

    /** The words joined by spaces, each '-' replaced by standard input (read once). */
    static String join(List<String> words, InputStream in) throws IOException {
        if (!words.contains("-")) {
            return String.join(" ", words);
        }
        String stdin = stdin(in);
        List<String> joined = new ArrayList<>(words);
        joined.replaceAll(w -> w.equals("-") ? stdin : w);
        return String.join(" ", joined);
    }

    /** Standard input as text, without the line breaks at its end. */
    static String stdin(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8); // malformed bytes become U+FFFD
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }
}
