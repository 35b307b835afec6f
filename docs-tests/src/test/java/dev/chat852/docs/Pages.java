package dev.chat852.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** README.md and every page of docs/, read into their fenced blocks. */
final class Pages {
    /** The repository root: the build passes it; an IDE run from {@code docs-tests/} falls back to "..". */
    static final Path ROOT = Path.of(System.getProperty("chat852.repoRoot", "..")).toAbsolutePath().normalize();

    private static final Pattern FENCE = Pattern.compile("^```([A-Za-z0-9-]*)\\s*$");
    private static final Pattern MARKER = Pattern.compile("^<!--\\s*docs:\\s*(.*?)\\s*-->\\s*$");

    private Pages() {
    }

    /** README.md, then docs/*.md by name, as paths relative to the root ({@code docs/cli.md}). */
    static List<String> names() {
        List<String> names = new ArrayList<>(List.of("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md")).sorted()
                    .forEach(n -> names.add("docs/" + n));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }

    static String read(String name) {
        try {
            return Files.readString(ROOT.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fenced block of every page. */
    static List<Block> blocks() {
        List<Block> all = new ArrayList<>();
        for (String name : names()) {
            all.addAll(parse(name, read(name)));
        }
        return all;
    }

    /** The blocks of one page, each with the marker comment on the line right above its fence. */
    static List<Block> parse(String name, String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        Block previous = null;
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.length && !lines[i].startsWith("```"); i++) {
                text.append(lines[i]).append('\n');
            }
            if (i == lines.length) {
                throw new IllegalStateException(name + ":" + (start + 1) + ": a fenced block is never closed");
            }
            Matcher marker = MARKER.matcher(start > 0 ? lines[start - 1] : "");
            previous = new Block(name, start + 1, open.group(1), text.toString(),
                    marker.matches() ? marker.group(1) : "", previous);
            blocks.add(previous);
        }
        return blocks;
    }

    /** The inline code spans of a page's prose (outside fenced blocks), with their line numbers. */
    static List<Span> spans(String name) {
        List<Span> spans = new ArrayList<>();
        String[] lines = read(name).split("\n", -1);
        boolean fenced = false;
        Pattern code = Pattern.compile("`([^`]+)`");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                Matcher m = code.matcher(lines[i]);
                while (m.find()) {
                    spans.add(new Span(name, i + 1, m.group(1)));
                }
            }
        }
        return spans;
    }

    /** An inline code span: {@code `java -jar cli/target/chat852.jar -h`}. */
    record Span(String page, int line, String text) {
        String where() {
            return page + ":" + line;
        }

        @Override
        public String toString() {
            return where() + " `" + text + "`";
        }
    }
}
