package dev.chat852.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.mock.Recording;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The blocks that are not run but say something checkable: JSON, Maven snippets, usage lines. */
class DataBlocksTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Block> blocks(Block.Kind kind) {
        return Pages.blocks().stream().filter(b -> b.kind() == kind);
    }

    static Stream<Block> jsonBlocks() {
        return blocks(Block.Kind.JSON);
    }

    static Stream<Block> xmlBlocks() {
        return blocks(Block.Kind.XML);
    }

    static Stream<Block> synopses() {
        return blocks(Block.Kind.SYNOPSIS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonBlocks")
    void aJsonBlockParsesAndARecordingLoads(Block block) {
        assertThatCode(() -> JSON.readTree(block.text())).as("%s is JSON", block.where()).doesNotThrowAnyException();
        if (block.has("recording")) {
            assertThatCode(() -> Recording.parse(block.text(), "docs")).as("%s loads as a recording", block.where())
                    .doesNotThrowAnyException();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("xmlBlocks")
    void aDependencySnippetNamesArtifactsTheBuildMakesOrUses(Block block) throws Exception {
        Matcher dependency = Pattern.compile("<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>"
                + "(?:[^\\n]*\\n\\s*<version>([^<]+)</version>)?").matcher(block.text());
        int found = 0;
        String bom = Files.readString(Pages.ROOT.resolve("bom/pom.xml"));
        String parent = Files.readString(Pages.ROOT.resolve("pom.xml"));
        while (dependency.find()) {
            found++;
            String group = dependency.group(1);
            String artifact = dependency.group(2);
            if (group.equals("dev.chat852")) {
                assertThat(bom).as("%s: %s is in the BOM", block.where(), artifact)
                        .contains("<artifactId>" + artifact + "</artifactId>");
            } else if (dependency.group(3) != null) {
                String property = artifact.replaceFirst("-.*", "") + ".version";
                assertThat(parent).as("%s: %s %s is the version the build uses", block.where(), artifact,
                        dependency.group(3)).contains("<" + property + ">" + dependency.group(3) + "</" + property + ">");
            }
        }
        assertThat(found).as("%s names a dependency", block.where()).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("synopses")
    void aUsageLineListsExactlyTheOptionsOfTheCommandsHelp(Block block, @TempDir Path temp) throws Exception {
        Matcher command = Pattern.compile("^chat852 (\\w+)").matcher(block.text());
        assertThat(command.find()).as("%s starts with chat852 COMMAND", block.where()).isTrue();
        Shell.Result help;
        try (Shell shell = new Shell(temp)) {
            help = shell.run("java -jar cli/target/chat852.jar " + command.group(1) + " --help", 60);
        }
        assertThat(help.exit()).as("help of %s: %s", command.group(1), help).isZero();

        Set<String> shown = options(block.text());
        assertThat(options(help.stdout())).as("%s: %s --help has the options on the page", block.where(),
                command.group(1)).containsAll(shown);
        // Each option of the help (a line naming it and its aliases) is on the page under one of its names.
        Matcher option = Pattern.compile("(?m)^\\s+(?:-\\w, )?(--[a-z][a-z-]*(?:, --[a-z][a-z-]*)*)").matcher(help.stdout());
        while (option.find()) {
            Set<String> names = options(option.group(1));
            if (!names.contains("--help") && !names.contains("--version")) {
                assertThat(names).as("%s: the page shows %s", block.where(), names).containsAnyElementsOf(shown);
            }
        }
    }

    static Stream<Block> checkedElsewhere() {
        return blocks(Block.Kind.CHECKED_BY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("checkedElsewhere")
    void aBlockCheckedElsewhereNamesATestThatReadsThisPage(Block block) throws Exception {
        String file = block.value("checked-by").orElseThrow();
        assertThat(Pages.ROOT.resolve(file)).as("%s: the test that runs it", block.where()).exists();
        assertThat(Files.readString(Pages.ROOT.resolve(file))).as("%s: %s reads the page", block.where(), file)
                .contains("\"" + block.page() + "\"");
    }

    private static Set<String> options(String text) {
        Set<String> options = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(text);
        while (m.find()) {
            options.add(m.group());
        }
        return options;
    }
}
