package dev.chat852.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.Recording;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Java block of README.md and docs/ compiles; those marked {@code run} run, in a JVM of their
 * own (a test class under the JUnit Platform, where every test must pass; anything else from its main
 * method) from a folder laid out as a user's project (the sample recordings in {@code recordings/} and
 * {@code src/test/resources/recordings/}), with {@code env: mock} pointing {@code CHAT852_BASE_URL}
 * and {@code CHAT852_TOKEN} at a mock that serves the demo recordings, and must exit 0.
 */
class JavaSamplesTest {

    static Stream<Block> javaBlocks() {
        return Pages.blocks().stream().filter(b -> b.kind() == Block.Kind.JAVA);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("javaBlocks")
    void aJavaSampleCompilesAndRunsWhereMarked(Block block, @TempDir Path temp) throws Exception {
        JavaSample sample = new JavaSample(block);

        assertThat(sample.compile(temp)).as("%s compiles", block.where()).isEmpty();
        if (!sample.runs()) {
            return;
        }
        if (block.has("docker")) {
            Docker.require(block.where());
        }
        Path classes = temp.resolve("classes");
        run(block, sample, classes, Fixtures.project(temp.resolve("project")));
    }

    private static void run(Block block, JavaSample sample, Path classes, Path project) throws Exception {
        // A user's project has one transport, as the pages' dependency snippets say: the JDK one here.
        List<Path> path = new ArrayList<>(JavaSample.classPath().stream()
                .filter(p -> !p.toString().matches(".*/(chat852-transport-netty-[^/]*\\.jar|transport-netty/target/classes)"))
                .toList());
        path.add(classes);
        path.add(Fixtures.SAMPLES); // recordings/ on the class path, for Recording.fromClasspath("recordings")
        String main = JavaSample.PACKAGE + "." + sample.className;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dchat852.repoRoot=" + Pages.ROOT, "-cp",
                path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator))));
        command.addAll(sample.tests ? List.of(RunTests.class.getName(), main) : List.of(main));
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("CHAT852_"));
        MockServer mock = null;
        try {
            if (block.value("env").filter("mock"::equals).isPresent()) {
                mock = MockServer.builder().recordings(Recording.demo()).speed(0).build().start();
                builder.environment().put("CHAT852_BASE_URL", mock.baseUri().toString());
                builder.environment().put("CHAT852_TOKEN", "sk-docs-sample");
            }
            Process process = builder.start();
            process.getOutputStream().close();
            byte[] printed = process.getInputStream().readAllBytes();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = new String(printed, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(process.exitValue()).as("%s exits 0; it printed:\n%s", block.where(), output).isZero();
            if (!sample.tests) {
                assertThat(output).as("%s prints no exception", block.where()).doesNotContain("Exception");
            }
            if (mock != null) {
                assertThat(mock.requests()).as("%s talked to the mock", block.where()).isNotEmpty();
            }
        } finally {
            if (mock != null) {
                mock.close();
            }
        }
    }
}
