package dev.chat852.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Applications with a {@code module-info.java} of their own ({@code src/test/apps}), compiled and run on
 * the module path as a user would, with no {@code --add-modules} or {@code --add-opens}: the module
 * descriptors must require what the code needs at run time (Jackson, {@code java.net.http}, Netty) and
 * provide the transports to {@link java.util.ServiceLoader}.
 */
class ModularApplicationsTest {
    private static final String TOKEN = "modular-token";
    private static final Path APPS = Path.of(System.getProperty("chat852.apps", "src/test/apps"));
    private static final Path WORK = Path.of(System.getProperty("chat852.work", "target/apps"));
    private static MockServer server;

    @BeforeAll
    static void startMock() {
        server = MockServer.builder().token(TOKEN).speed(0)
                .recording(Recording.builder().name("modular")
                        .request(RecordedRequest.builder().message("user", "你好, modules").build())
                        .response(RecordedResponse.builder()
                                .chunk(0, "start852{\"apiDate\":\"2026-12-04\"}end852")
                                .chunk(1, "答案在")
                                .chunk(1, "模块路径上。")
                                .chunk(1, "undefined")
                                .build())
                        .build())
                .build().start();
    }

    @AfterAll
    static void stopMock() {
        server.close();
    }

    private static String jdkModules() {
        return ModulePath.of(ModulePath.chat852("core", "core"), ModulePath.chat852("transport-jdk", "transport-jdk"),
                ModulePath.jar("jackson-"));
    }

    private static String nettyModules() {
        return ModulePath.of(ModulePath.chat852("core", "core"), ModulePath.chat852("transport-netty", "transport-netty"),
                ModulePath.jar("jackson-"), ModulePath.jar("netty-"));
    }

    @Test
    void anApplicationRequiringTheJdkTransportStreamsAnAnswerOnTheModulePath() throws Exception {
        Path classes = compile("jdk", jdkModules()).requireSuccess();

        String out = run(jdkModules(), classes, "example.jdk/example.app.Main");

        assertThat(out).isEqualTo("transport: jdk in dev.chat852.core\nheader: 2026-12-04\n答案在模块路径上。\n");
    }

    @Test
    void anApplicationRequiringTheNettyTransportStreamsAnAnswerOnTheModulePath() throws Exception {
        Path classes = compile("netty", nettyModules()).requireSuccess();

        String out = run(nettyModules(), classes, "example.netty/example.app.Main");

        assertThat(out).isEqualTo("transport: netty in dev.chat852.core\nheader: 2026-12-04\n答案在模块路径上。\n");
    }

    @Test
    void anApplicationThatImportsAnInternalPackageDoesNotCompile() throws Exception {
        Compiled walls = compile("walls", jdkModules());

        assertThat(walls.ok).as("compiled:\n%s", walls.diagnostics).isFalse();
        assertThat(walls.diagnostics)
                .contains("package dev.chat852.internal is not visible")
                .contains("package dev.chat852.transport.jdk.internal is not visible");
    }

    private record Compiled(Path classes, boolean ok, String diagnostics) {
        Path requireSuccess() {
            assertThat(ok).as("javac:\n%s", diagnostics).isTrue();
            return classes;
        }
    }

    /**
     * Compiles the application in {@code src/test/apps/NAME} against {@code modulePath}, with the code in
     * {@code src/test/apps/shared} if it has no code of its own.
     */
    private static Compiled compile(String name, String modulePath) throws IOException {
        Path classes = WORK.resolve(name);
        Files.createDirectories(classes);
        List<String> options = List.of("--release", "17", "-d", classes.toString(), "--module-path", modulePath);
        List<File> files = sources(APPS.resolve(name));
        if (files.size() == 1) {
            files.addAll(sources(APPS.resolve("shared")));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean ok = javac.getTask(diagnostics, fileManager, null, options, null,
                    fileManager.getJavaFileObjectsFromFiles(files)).call();
            return new Compiled(classes, ok, diagnostics.toString());
        }
    }

    private static List<File> sources(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).collect(Collectors.toList());
        }
    }

    /** Runs {@code module/main} in a new JVM on the module path; returns its standard output. */
    private static String run(String modulePath, Path classes, String main) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--module-path", classes + File.pathSeparator + modulePath,
                "--module", main, server.baseUri().toString(), TOKEN, "你好, modules")
                .redirectErrorStream(false).start();
        process.getOutputStream().close();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!ended) {
            process.destroyForcibly();
        }
        assertThat(ended).as("ended within 60 s; stderr:\n%s", err).isTrue();
        assertThat(process.exitValue()).as("exit status; stderr:\n%s", err).isZero();
        return out.lines().collect(Collectors.joining("\n", "", "\n"));
    }
}
