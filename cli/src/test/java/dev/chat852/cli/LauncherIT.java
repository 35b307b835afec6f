package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher the build writes, {@code cli/target/chat852}, with the class-data-sharing archive made at
 * package time beside it: the same command as {@code java -jar}, its classes mapped from the archive,
 * and where the archive does not match (a moved or rebuilt jar) the same command without it, silently.
 */
@Timeout(120)
@EnabledOnOs({OS.LINUX, OS.MAC}) // the build writes the launcher on Unix only
class LauncherIT {
    private static final Path TARGET = Samples.REPO_ROOT.resolve("cli/target");

    @TempDir
    Path temp;

    @BeforeAll
    static void launcherWasBuilt() {
        assertThat(TARGET.resolve("chat852")).as("the launcher (built by package)").isExecutable();
        assertThat(TARGET.resolve("chat852.jsa")).as("its archive").isRegularFile();
    }

    @Test
    void theLauncherRunsTheCommandAsJavaDashJarDoes() throws Exception {
        Jar.Result result = launch(TARGET.resolve("chat852"), Map.of(), "chat", "--offline", "--speed", "0", "hi");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(Demo.EN);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void theCommandsClassesComeFromTheArchive() throws Exception {
        Path log = temp.resolve("classes.log");

        Jar.Result result = launch(TARGET.resolve("chat852"), classLoadLog(log), "chat", "--offline", "--speed", "0", "hi");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(Demo.EN);
        assertThat(Files.readString(log, UTF_8))
                .contains("dev.chat852.cli.ChatCommand source: shared objects file (top)")
                .contains("dev.chat852.transport.jdk.JdkTransport source: shared objects file (top)")
                .doesNotContain("dev.chat852.cli.ChatCommand source: jar:");
    }

    @Test
    void anArchiveThatNoLongerMatchesItsJarIsIgnoredSilently() throws Exception {
        // A copy elsewhere, the jar with another modification time: the archive matches neither.
        for (String file : List.of("chat852", "chat852.jar", "chat852.jsa")) {
            Files.copy(TARGET.resolve(file), temp.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.setLastModifiedTime(temp.resolve("chat852.jar"), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        Path log = temp.resolve("classes.log");

        Jar.Result result = launch(temp.resolve("chat852"), classLoadLog(log), "chat", "--offline", "--speed", "0", "hi");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(Demo.EN); // no CDS warning in the answer
        assertThat(result.stderr()).doesNotContain("cds", "shared", "archive");
        assertThat(Files.readString(log, UTF_8)).doesNotContain("dev.chat852.cli.ChatCommand source: shared objects file");
    }

    /** JAVA_TOOL_OPTIONS reach the JVM the launcher starts, whatever its own options. */
    private static Map<String, String> classLoadLog(Path log) {
        return Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
    }

    /** Runs the launcher with the JDK running the tests (the build's), from the repository root. */
    private static Jar.Result launch(Path launcher, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Samples.REPO_ROOT.toFile());
        builder.environment().remove(Environment.TOKEN_VARIABLE);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        try (Jar.Running running = new Jar.Running(builder.start())) {
            running.process.getOutputStream().close();
            Jar.Result result = running.await(60, TimeUnit.SECONDS);
            // The JVM says it picked up JAVA_TOOL_OPTIONS; that line is the test's, not the launcher's.
            String stderr = result.stderr().replaceAll("(?m)^Picked up JAVA_TOOL_OPTIONS: .*\\R", "");
            return new Jar.Result(result.exit(), result.stdoutBytes(), stderr);
        }
    }
}
