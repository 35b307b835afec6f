package dev.chat852.docs;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One fenced block of a page: its language, its text, and the marker comment right above the fence
 * ({@code <!-- docs: WORDS -->}, invisible on the rendered page), which says how the block is checked
 * where its language alone does not. See package-info for the words.
 */
record Block(String page, int line, String lang, String text, String marker, Block previous) {

    private static final Pattern GIVEN = Pattern.compile("given:\\s*(.*)$");
    private static final Pattern WORD = Pattern.compile("^([a-z-]+)(?::\\s*(.*))?$");

    /** What is done with a block. */
    enum Kind {
        /** Java: compiled, and run where the marker says {@code run}. */
        JAVA,
        /** Shell: run by bash from the repository root. */
        SHELL,
        /** {@code $ command} lines with the output the page shows under each: run and compared. */
        TRANSCRIPT,
        /** The text printed by the shell block before it: compared. */
        OUTPUT,
        /** A command's usage line: its options must be the ones {@code --help} lists. */
        SYNOPSIS,
        /** JSON: must parse; a {@code recording} marker also loads it as a recording. */
        JSON,
        /** Maven dependency snippets: the artifacts must exist, with the versions the build uses. */
        XML,
        /** A drawing or a list of lines such as log or error lines: a name for what it is, nothing to run. */
        ILLUSTRATION,
        /** Not run here, for the reason the marker gives (the real service, say). */
        NOT_RUN,
        /** Run by the named test of another module, which reads it from this page. */
        CHECKED_BY
    }

    /** The location in messages and test names: {@code docs/cli.md:147}. */
    String where() {
        return page + ":" + line;
    }

    @Override
    public String toString() {
        return where() + " (" + (lang.isEmpty() ? "text" : lang) + ")";
    }

    Kind kind() {
        String word = firstWord();
        switch (word) {
            case "not-run": return Kind.NOT_RUN;
            case "output": return Kind.OUTPUT;
            case "synopsis": return Kind.SYNOPSIS;
            case "illustration": return Kind.ILLUSTRATION;
            case "checked-by": return Kind.CHECKED_BY;
            default: break;
        }
        switch (lang) {
            case "java": return Kind.JAVA;
            case "json": return Kind.JSON;
            case "xml": return Kind.XML;
            case "sh":
            case "": return text.startsWith("$ ") ? Kind.TRANSCRIPT : lang.isEmpty() ? null : Kind.SHELL;
            default: return null;
        }
    }

    /** The marker's first word ({@code run}, {@code not-run}, ...), or "" without a marker. */
    String firstWord() {
        String first = marker.split("[\\s;]+", 2)[0];
        Matcher m = WORD.matcher(first);
        return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : first;
    }

    /** Whether the marker has this word (for example {@code run} in {@code run; given: ...}). */
    boolean has(String word) {
        return words().stream().anyMatch(w -> w.equals(word) || w.startsWith(word + ":"));
    }

    /** The text after {@code word:} in the marker: {@code not-run: needs the real service}. */
    Optional<String> value(String word) {
        return words().stream().filter(w -> w.startsWith(word + ":"))
                .map(w -> w.substring(word.length() + 1).strip()).findFirst();
    }

    /** The Java declarations after {@code given:}, which always comes last in a marker. */
    List<String> given() {
        Matcher m = GIVEN.matcher(marker);
        if (!m.find()) {
            return List.of();
        }
        return List.of(m.group(1).split("\\s*;\\s*")).stream().filter(s -> !s.isBlank()).toList();
    }

    private List<String> words() {
        String beforeGiven = marker.replaceFirst("given:.*$", "");
        return List.of(beforeGiven.split("\\s*;\\s*")).stream().map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }
}
