package dev.chat852.docs;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A page's Java block as a compilation unit: a class or module declaration as it is; test methods and
 * fields inside a class; statements inside a method, whose parameters are the marker's
 * {@code given:} declarations without a value (the sample only compiles) or locals with one (it runs).
 * The imports a reader would let the IDE add are added here, and nothing else.
 */
final class JavaSample {
    static final String PACKAGE = "docsample";

    private static final String IMPORTS = String.join("\n",
            "import com.fasterxml.jackson.databind.JsonNode;",
            "import dev.chat852.*;",
            "import dev.chat852.wire.*;",
            "import dev.chat852.mock.*;",
            "import dev.chat852.testcontainers.*;",
            "import dev.chat852.transport.jdk.JdkTransport;",
            "import dev.chat852.transport.netty.NettyTransport;",
            "import dev.chat852.docs.Fixtures;",
            "import java.net.InetSocketAddress;",
            "import java.net.ProxySelector;",
            "import java.net.URI;",
            "import java.nio.file.*;",
            "import java.time.Duration;",
            "import java.util.*;",
            "import java.util.concurrent.*;",
            "import org.junit.jupiter.api.*;",
            "import org.junit.jupiter.api.extension.RegisterExtension;",
            "import org.testcontainers.junit.jupiter.*;",
            "import static org.assertj.core.api.Assertions.*;",
            "import static org.awaitility.Awaitility.*;", "");
    private static final Pattern TYPE = Pattern.compile(
            "(?m)^(?:public\\s+|final\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");
    private static final Pattern MEMBERS = Pattern.compile("(?m)^(?:@\\w+|static\\s|private\\s|void\\s)");

    final Block block;
    final String className;
    final String source;
    /** Whether it is a JUnit test class, run with the JUnit engine rather than a main method. */
    final boolean tests;

    JavaSample(Block block) {
        this.block = block;
        String text = block.text();
        Matcher type = TYPE.matcher(text);
        if (text.startsWith("module ")) {
            className = "module-info";
            source = text;
            tests = false;
        } else if (type.find()) {
            className = type.group(1);
            source = "package " + PACKAGE + ";\n" + IMPORTS + text;
            tests = text.contains("@Test");
        } else if (MEMBERS.matcher(text).find()) {
            className = name(block);
            source = "package " + PACKAGE + ";\n" + IMPORTS + "public class " + className + " {\n" + text + "}\n";
            tests = text.contains("@Test");
        } else {
            className = name(block);
            List<String> parameters = new ArrayList<>();
            StringBuilder locals = new StringBuilder();
            for (String given : block.given()) {
                if (given.contains("=")) {
                    locals.append("        ").append(given).append(";\n");
                } else {
                    parameters.add(given);
                }
            }
            source = "package " + PACKAGE + ";\n" + IMPORTS + "public class " + className + " {\n"
                    + (parameters.isEmpty()
                            ? "    public static void main(String[] args) throws Exception {\n        run();\n    }\n"
                            : "")
                    + "    static void run(" + String.join(", ", parameters) + ") throws Exception {\n"
                    + locals + text + "    }\n}\n";
            tests = false;
        }
    }

    /** Whether the marker asks for a run and the sample can run (no parameters left). */
    boolean runs() {
        return block.has("run");
    }

    /**
     * Compiles the sample into {@code out}; returns javac's messages, empty when it compiled. A module
     * declaration compiles on a module path of the project's and its dependencies' jars.
     */
    String compile(Path out) throws IOException {
        Path dir = Files.createDirectories(out.resolve("src"));
        Path file = className.equals("module-info") ? dir.resolve("module-info.java")
                : Files.createDirectories(dir.resolve(PACKAGE)).resolve(className + ".java");
        Files.writeString(file, source, UTF_8);
        List<String> args = new ArrayList<>(List.of("--release", "17", "-proc:none", "-encoding", "UTF-8",
                "-d", out.resolve("classes").toString()));
        if (className.equals("module-info")) {
            args.add("--module-path");
            args.add(classPath().stream().filter(p -> p.toString().matches(
                    ".*/(chat852-(core|transport-jdk|transport-netty)-[^/]*\\.jar|(core|transport-jdk|transport-netty)"
                            + "/target/classes|jackson-[^/]*\\.jar|netty-[^/]*\\.jar)")).map(Path::toString)
                    .collect(Collectors.joining(File.pathSeparator)));
        } else {
            args.add("-classpath");
            args.add(classPath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
        }
        args.add(file.toString());
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int status = javac.run(null, messages, messages, args.toArray(String[]::new));
        return status == 0 ? "" : messages.toString(UTF_8) + "\nthe source compiled:\n" + numbered(source);
    }

    /** The tests' class path: the project's jars and test classes, as Surefire gave them. */
    static List<Path> classPath() {
        String path = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Stream.of(path.split(File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }

    private static String name(Block block) {
        return "Sample_" + block.page().replaceAll("[^A-Za-z0-9]", "_") + "_" + block.line();
    }

    private static String numbered(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            out.append(String.format("%4d  %s%n", i + 1, lines[i]));
        }
        return out.toString();
    }
}
