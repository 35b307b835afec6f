package dev.chat852.docs;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Compares what a page shows with what a command printed. The pages shorten with {@code …}: inside a
 * line it stands for any text; a line of its own stands for any number of lines. Everything else must
 * be exactly as printed.
 */
final class Shown {
    private static final String ELLIPSIS = "…";

    private Shown() {
    }

    /** Whether {@code printed} is what {@code shown} shows. */
    static boolean matches(String shown, String printed) {
        return matches(lines(shown), 0, lines(printed), 0);
    }

    /** The message for an assertion: both texts, so a reader sees where they part. */
    static String difference(String where, String shown, String printed) {
        return where + " shows\n" + indent(shown) + "but the command printed\n" + indent(printed);
    }

    private static boolean matches(List<String> shown, int s, List<String> printed, int p) {
        if (s == shown.size()) {
            return p == printed.size();
        }
        if (shown.get(s).strip().equals(ELLIPSIS)) {
            for (int skip = p; skip <= printed.size(); skip++) {
                if (matches(shown, s + 1, printed, skip)) {
                    return true;
                }
            }
            return false;
        }
        return p < printed.size() && line(shown.get(s)).matcher(printed.get(p)).matches()
                && matches(shown, s + 1, printed, p + 1);
    }

    private static Pattern line(String shown) {
        StringBuilder regex = new StringBuilder();
        String[] parts = shown.stripTrailing().split(ELLIPSIS, -1);
        for (int i = 0; i < parts.length; i++) {
            regex.append(i > 0 ? ".*" : "").append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex + "\\s*", Pattern.DOTALL);
    }

    private static List<String> lines(String text) {
        String trimmed = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\n", -1));
    }

    private static String indent(String text) {
        return ("    " + text.replace("\n", "\n    ")).stripTrailing() + "\n";
    }
}
