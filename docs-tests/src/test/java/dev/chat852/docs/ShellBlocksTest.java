package dev.chat852.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shell block and every {@code $ command} transcript of README.md and docs/, run. A shell block
 * must exit 0, and where the page shows its output in the block after it (marked {@code output}), print
 * that (standard output and error together, as a terminal shows them); a transcript's commands must print what the page shows under each. A {@code mock: ARGS} marker
 * starts {@code chat852 mock ARGS} on the page's port first, for pages that say "a mock started with".
 */
class ShellBlocksTest {

    static Stream<Block> shellBlocks() {
        return Pages.blocks().stream().filter(b -> b.kind() == Block.Kind.SHELL);
    }

    static Stream<Block> transcripts() {
        return Pages.blocks().stream().filter(b -> b.kind() == Block.Kind.TRANSCRIPT);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shellBlocks")
    void aShellBlockRunsAndPrintsWhatThePageShows(Block block, @TempDir Path temp) throws Exception {
        if (block.text().contains("docker run")) {
            Docker.require(block.where());
        }
        try (Shell shell = new Shell(temp)) {
            Block output = outputOf(block);
            // Where the page shows the output, it shows what a terminal does: both streams, in order.
            String script = shell.adapt(mockFirst(block) + block.text());
            Shell.Result result;
            try {
                result = shell.run(output == null ? script
                        : output.has("terminal") ? shell.onATerminal(script) : "{\n" + script + "} 2>&1\n", 180);
            } finally {
                shell.removeContainers(); // a block that failed before its docker stop leaves none running
            }

            assertThat(result.exit()).as("%s exits 0:\n%s", block.where(), result).isZero();
            if (output != null) {
                String shown = shell.withPorts(output.text());
                String printed = result.stdout().replace("\r\n", "\n"); // a terminal's line ends
                assertThat(Shown.matches(shown, printed)).as(Shown.difference(output.where(), shown, printed)).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void aTranscriptPrintsWhatThePageShowsUnderEachCommand(Block block, @TempDir Path temp) throws Exception {
        try (Shell shell = new Shell(temp)) {
            List<Shell.Step> steps = Shell.steps(block.text());
            assertThat(steps).as("%s has $ commands", block.where()).isNotEmpty();
            StringBuilder script = new StringBuilder(shell.adapt(mockFirst(block))).append("set +e\n");
            for (Shell.Step step : steps) {
                // Each command's output ends with a separator and its status; (exit s) keeps $? for `echo $?`.
                script.append("{ ").append(shell.adapt(step.command())).append("} 2>&1; __s=$?; printf '\\036%d\\036\\n' \"$__s\";"
                        + " (exit $__s)\n");
            }
            Shell.Result result = shell.run(script.toString(), 180);

            Matcher separator = Pattern.compile("\\x1e(\\d+)\\x1e\\n").matcher(result.stdout());
            List<String> printed = new ArrayList<>();
            int from = 0;
            while (separator.find()) {
                printed.add(result.stdout().substring(from, separator.start()));
                from = separator.end();
            }
            assertThat(printed).as("%s: every command ran\n%s", block.where(), result).hasSameSizeAs(steps);
            for (int i = 0; i < steps.size(); i++) {
                String shown = shell.withPorts(steps.get(i).shown());
                assertThat(Shown.matches(shown, printed.get(i)))
                        .as(Shown.difference(block.where() + " under $ " + steps.get(i).command(), shown, printed.get(i)))
                        .isTrue();
            }
        }
    }

    /** The block after this one, when it is marked as this one's output. */
    static Block outputOf(Block block) {
        return Pages.blocks().stream()
                .filter(b -> b.kind() == Block.Kind.OUTPUT && b.previous() != null
                        && b.previous().where().equals(block.where()))
                .findFirst().orElse(null);
    }

    /** For a {@code mock: ARGS} marker: the mock, started on the page's port 8520 and answering. */
    private static String mockFirst(Block block) {
        return block.value("mock").map(args -> "java -jar cli/target/chat852.jar mock --port 8520 " + args
                + " >/dev/null &\nuntil curl -sf http://127.0.0.1:8520/__admin/health >/dev/null; do sleep 0.1; done\n")
                .orElse("");
    }
}
