package dev.chat852.cli;

/**
 * Text from elsewhere (a server's error message, an answer, a file name) made safe to show on a
 * terminal: characters a terminal would act on instead of showing (escape sequences, BEL, backspace,
 * carriage return, C1 controls, the bidirectional overrides that reorder what is seen) are written as
 * visible escapes such as {@code \u001b}, so bytes from a server are shown as data, never as control.
 */
final class TerminalText {
    private TerminalText() {
    }

    /** One line: every control character, line breaks included, becomes a visible escape. */
    static String oneLine(String text) {
        return escape(text, false);
    }

    /** Text that keeps its line feeds and tabs; every other control character becomes a visible escape. */
    static String lines(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean keepLines) {
        int i = 0;
        while (i < text.length() && !acts(text.charAt(i), keepLines)) {
            i++;
        }
        if (i == text.length()) {
            return text; // the common case: nothing to escape, nothing copied
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!acts(c, keepLines)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    /** Whether a terminal would act on {@code c} rather than show it. */
    static boolean acts(char c, boolean keepLines) {
        if (c < 0x20) {
            return !(keepLines && (c == '\n' || c == '\t'));
        }
        return c == 0x7F || (c >= 0x80 && c <= 0x9F) // DEL and the C1 controls (0x9B is a one-byte CSI)
                || c == '\u061C' || c == '\u200E' || c == '\u200F' // bidi marks
                || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') // bidi overrides
                || c == '\u2028' || c == '\u2029'; // line and paragraph separators
    }
}
