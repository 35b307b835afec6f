package dev.chat852.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Nothing on the pages escapes the checks: every fenced block is of a kind some test checks, the
 * blocks not run are exactly the ones listed here (each for a reason a reader can see on the page),
 * and every relative link points at a file of the repository.
 */
class EveryBlockIsCheckedTest {

    /**
     * The blocks and inline commands not run by this build, by page and first line: they need the real
     * service (a token of the reader's own) or a machine's profiler. Adding one means adding it here.
     */
    static final List<String> NOT_RUN = List.of(
            "README.md: CHAT852_TOKEN=sk-… java -jar cli/target/chat852.jar chat \"用一句话介绍你自己\"",
            "docs/benchmarks.md: # context switches and CPU time (all threads of the client JVM) per call; perf's"
                    + " software events work here",
            "docs/cli.md: java -jar cli/target/chat852.jar record --out recordings &",
            "docs/sse-dialect.md: OPENAI_API_KEY=sk-… java -jar cli/target/chat852.jar chat --dialect openai \"Hello\""
                    + "       # api.openai.com, gpt-4o-mini");

    @Test
    void everyBlockIsOfAKindThatATestChecks() {
        List<String> unchecked = new ArrayList<>();
        for (Block block : Pages.blocks()) {
            if (block.kind() == null) {
                unchecked.add(block + " [" + block.marker() + "]");
            }
        }
        assertThat(unchecked).as("blocks with no check: give them a language (java, sh, json, xml) or a"
                + " marker (see package-info)").isEmpty();
    }

    @Test
    void anOutputBlockFollowsTheShellBlockThatPrintsIt() {
        for (Block block : Pages.blocks()) {
            if (block.kind() == Block.Kind.OUTPUT) {
                assertThat(block.previous()).as("%s: output of what?", block.where()).isNotNull();
                assertThat(block.previous().kind()).as("%s follows a shell block", block.where())
                        .isEqualTo(Block.Kind.SHELL);
            }
        }
    }

    @Test
    void theBlocksNotRunAreExactlyTheListedOnesEachWithItsReason() {
        List<String> notRun = new ArrayList<>();
        for (Block block : Pages.blocks()) {
            if (block.kind() == Block.Kind.NOT_RUN) {
                assertThat(block.value("not-run")).as("%s says why it is not run", block.where())
                        .hasValueSatisfying(reason -> assertThat(reason).isNotBlank());
                notRun.add(block.page() + ": " + block.text().lines().findFirst().orElse(""));
            }
        }
        InlineCommandsTest.spans().filter(InlineCommandsTest::needsTheRealService)
                .forEach(span -> notRun.add(span.page() + ": " + span.text()));
        assertThat(notRun).containsExactlyInAnyOrderElementsOf(NOT_RUN);
    }

    @Test
    void everyRelativeLinkPointsAtAFileOfTheRepository() {
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(?:#[^)]*)?\\)");
        List<String> broken = new ArrayList<>();
        for (String page : Pages.names()) {
            Matcher m = link.matcher(Pages.read(page));
            while (m.find()) {
                String target = m.group(1);
                if (!target.matches("[a-z]+:.*") && !Files.exists(Pages.ROOT.resolve(page).resolveSibling(target))) {
                    broken.add(page + " -> " + target);
                }
            }
        }
        assertThat(broken).isEmpty();
    }
}
