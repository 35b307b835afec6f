package dev.chat852.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launch and its checks, on small shell commands; the program's figures are its own business. */
class StartupTimeTest {

    private static final Map<String, String> JDK = Map.of("JAVA_HOME", "/jdk");

    @TempDir
    Path work;

    @Test
    void theCommandAfterTheDoubleDashReplacesTheDefault() {
        StartupTime.Options o = StartupTime.Options.parse(new String[] {"--runs", "3", "--", "chat", "--offline", "你好"});

        assertThat(o.runs).isEqualTo(3);
        assertThat(o.command).containsExactly("chat", "--offline", "你好");
        assertThat(StartupTime.Options.parse(new String[0]).command).containsExactly("chat", "--offline", "--speed", "0", "hi");
    }

    @Test
    void eachModeRunsTheSameCommandWithItsOwnSharingOptions() {
        StartupTime.Options o = StartupTime.Options.parse(new String[] {"--java-home", "/jdk", "--", "chat", "hi"});
        Path archive = Path.of("/w/app.jsa");

        assertThat(o.commandLine("off", archive)).containsExactly("/jdk/bin/java", "-Xshare:off", "-jar",
                "cli/target/chat852.jar", "chat", "hi");
        assertThat(o.commandLine("default", archive)).containsExactly("/jdk/bin/java", "-jar", "cli/target/chat852.jar",
                "chat", "hi");
        assertThat(o.commandLine("app", archive)).containsExactly("/jdk/bin/java", "-XX:SharedArchiveFile=/w/app.jsa",
                "-jar", "cli/target/chat852.jar", "chat", "hi");
        assertThat(o.commandLine("launcher", archive)).containsExactly("cli/target/chat852", "chat", "hi");
    }

    @Test
    void anUnknownModeIsRefusedWithTheListOfModes() {
        assertThatThrownBy(() -> StartupTime.Options.parse(new String[] {"--modes", "default,crac"}))
                .hasMessageContaining("unknown mode crac; modes are off, default, app, launcher");
    }

    @Test
    void aLaunchKeepsTheWholeOutputAndTakesTheFirstByteBeforeTheExit() {
        StartupTime.Launch l = StartupTime.launch(List.of("bash", "-c", "printf 你; sleep 0.2; printf 好"), JDK, work);

        assertThat(new String(l.stdout(), UTF_8)).isEqualTo("你好");
        assertThat(l.exit()).isZero();
        assertThat(l.firstByteNanos()).isPositive().isLessThan(l.exitNanos());
        assertThat(l.problem("你好".getBytes(UTF_8))).isNull();
    }

    @Test
    void theLaunchGetsTheEnvironmentSoThatTheLauncherRunsTheMeasuredJdk() {
        StartupTime.Launch l = StartupTime.launch(List.of("bash", "-c", "printf %s \"$JAVA_HOME\""), JDK, work);

        assertThat(new String(l.stdout(), UTF_8)).isEqualTo("/jdk");
    }

    @Test
    void aLaunchThatFailsWritesOnStderrOrAnswersDifferentlyDoesNotCount() {
        StartupTime.Launch failed = StartupTime.launch(List.of("bash", "-c", "printf hi; echo boom >&2; exit 3"), JDK, work);
        StartupTime.Launch warned = StartupTime.launch(List.of("bash", "-c", "echo warning >&2; printf hi"), JDK, work);
        StartupTime.Launch silent = StartupTime.launch(List.of("bash", "-c", "true"), JDK, work);
        StartupTime.Launch other = StartupTime.launch(List.of("bash", "-c", "printf ho"), JDK, work);

        assertThat(failed.problem(null)).isEqualTo("exit 3, stderr: boom");
        assertThat(warned.problem(null)).isEqualTo("stderr not empty: warning");
        assertThat(silent.problem(null)).isEqualTo("nothing on stdout");
        assertThat(silent.firstByteNanos()).isEqualTo(-1);
        assertThat(other.problem("hi".getBytes(UTF_8))).isEqualTo("another answer: ho");
    }
}
