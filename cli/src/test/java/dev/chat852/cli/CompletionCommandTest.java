package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chat852 completion} prints a bash completion script; sourced in bash, its completion function,
 * driven as bash drives it ({@code COMP_WORDS}, {@code COMP_CWORD}), offers the commands and options.
 */
class CompletionCommandTest {
    private static final Path BASH = Path.of("/bin/bash");

    @TempDir
    static Path dir;
    private static Path script;

    @BeforeAll
    static void printTheScript() throws Exception {
        CliRun run = CliRun.run("", "completion");
        assertThat(run.exit()).isZero();
        assertThat(run.stderr()).isEmpty();
        script = Files.writeString(dir.resolve("chat852.bash"), run.stdout(), StandardCharsets.UTF_8);
    }

    /** What bash offers for the words typed so far, the last one being completed. */
    private static List<String> complete(String... words) throws Exception {
        assumeTrue(Files.isExecutable(BASH), "bash is not installed");
        String driver = "source \"$1\"\n"
                + "fn=$(complete -p chat852 | sed -E 's/.*-F ([^ ]+).*/\\1/')\n"
                + "shift\n"
                + "COMP_WORDS=(\"$@\"); COMP_CWORD=$(( $# - 1 )); COMP_LINE=\"$*\"; COMP_POINT=${#COMP_LINE}\n"
                + "\"$fn\" 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        List<String> command = new java.util.ArrayList<>(List.of(BASH.toString(), "-c", driver, "bash", script.toString()));
        command.addAll(List.of(words));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
    }

    @Test
    void theScriptRegistersACompletionFunctionForChat852() {
        assertThat(script).content().contains("complete -F").contains("chat852");
    }

    @Test
    void aCommandIsCompletedFromItsFirstLetters() throws Exception {
        assertThat(complete("chat852", "ch")).containsExactly("chat");
        assertThat(complete("chat852", "")).contains("chat", "parse", "mock", "record", "completion", "help");
    }

    @Test
    void anOptionOfChatIsCompletedFromItsFirstLetters() throws Exception {
        assertThat(complete("chat852", "chat", "--tr")).containsExactly("--transport");
        assertThat(complete("chat852", "chat", "--max")).containsExactly("--max-time");
        assertThat(complete("chat852", "mock", "--re")).containsExactlyInAnyOrder("--recordings", "--rechunk");
    }
}
