package dev.chat852.mock.internal;

/**
 * What an HTTP/1.1 header must be to be sent at all (RFC 9110 section 5): a name that is a token, and a
 * value of visible one-byte characters, spaces and tabs. A recording holding anything else would load
 * and then break every response it answers, so it is refused when it is made.
 */
public final class HttpHeaderRules {
    private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

    private HttpHeaderRules() {
    }

    /** @throws IllegalArgumentException saying which character of the name or value cannot be sent */
    public static void check(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a header name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean token = c < 128 && (Character.isLetterOrDigit(c) || TOKEN_SYMBOLS.indexOf(c) >= 0);
            if (!token) {
                throw new IllegalArgumentException("header name " + Jsons.write(name) + " has " + describe(c)
                        + " at index " + i + ": a name is letters, digits and " + TOKEN_SYMBOLS);
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                throw new IllegalArgumentException("header " + name + " has " + describe(c) + " at index " + i
                        + " of its value: a value is one line of visible ISO-8859-1 characters, spaces and tabs");
            }
        }
    }

    private static String describe(char c) {
        if (c == ' ') {
            return "a space";
        }
        if (c < 0x20 || c == 0x7F) {
            return String.format("the control character U+%04X", (int) c);
        }
        return String.format("'%c' (U+%04X)", c, (int) c);
    }
}
