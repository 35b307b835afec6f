package dev.chat852.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pages' Maven commands. Running one would rebuild the tree from inside its own build (minutes,
 * and the test command itself among them), so each is read instead: the modules it selects, the
 * profiles it turns on and the executions it names exist, and its goals are phases or plugins the
 * build declares. The test command on the pages is the one CI runs.
 */
class MavenCommandsTest {
    private static final Set<String> PHASES = Set.of("clean", "validate", "compile", "test-compile", "test",
            "package", "verify", "install");

    /** Every {@code ./mvnw} line of the pages' shell blocks and prose. */
    static Stream<String> commands() {
        List<String> commands = new ArrayList<>();
        for (Block block : Pages.blocks()) {
            if (block.kind() == Block.Kind.SHELL || block.kind() == Block.Kind.TRANSCRIPT) {
                block.text().lines().map(l -> l.replaceFirst("^\\$ ", "")).filter(l -> l.startsWith("./mvnw "))
                        .forEach(l -> commands.add(block.where() + "  " + l));
            }
        }
        for (String page : Pages.names()) {
            Pages.spans(page).stream().filter(s -> s.text().startsWith("./mvnw "))
                    .forEach(s -> commands.add(s.where() + "  " + s.text()));
        }
        return commands.stream();
    }

    @Test
    void thePagesShowMavenCommandsIncludingTheTestCommandCiRuns() throws IOException {
        assertThat(commands()).anyMatch(c -> c.endsWith("  ./mvnw -B verify"));
        assertThat(Files.readString(Pages.ROOT.resolve(".ci/run"))).contains("\n./mvnw -B verify\n");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commands")
    void aMavenCommandSelectsModulesProfilesAndExecutionsThatExist(String located) throws IOException {
        String command = located.substring(located.indexOf("  ") + 2).replaceFirst("\\s+#.*$", "");
        List<String> words = List.of(command.split("\\s+"));
        List<Path> poms = new ArrayList<>(List.of(Pages.ROOT.resolve("pom.xml")));
        for (int i = 1; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("-pl")) {
                for (String module : words.get(++i).split(",")) {
                    Path pom = Pages.ROOT.resolve(module).resolve("pom.xml");
                    assertThat(pom).as("%s: module %s", located, module).exists();
                    poms.add(pom);
                }
            } else if (word.startsWith("-P")) {
                String profile = word.length() > 2 ? word.substring(2) : words.get(++i);
                assertThat(anyContains(poms, "<id>" + profile + "</id>")).as("%s: profile %s", located, profile).isTrue();
            }
        }
        for (String word : words.subList(1, words.size())) {
            if (word.startsWith("-")) {
                continue;
            }
            if (word.contains(":")) {
                String prefix = word.substring(0, word.indexOf(':'));
                assertThat(anyContains(poms, prefix)).as("%s: plugin %s is declared", located, prefix).isTrue();
                if (word.contains("@")) {
                    String execution = word.substring(word.indexOf('@') + 1);
                    assertThat(anyContains(poms, "<id>" + execution + "</id>"))
                            .as("%s: execution %s", located, execution).isTrue();
                }
            } else if (!isValueOfPreviousOption(words, word)) {
                assertThat(PHASES).as("%s: %s is a phase", located, word).contains(word);
            }
        }
    }

    private static boolean isValueOfPreviousOption(List<String> words, String word) {
        int at = words.indexOf(word);
        return at > 0 && Set.of("-pl", "-P").contains(words.get(at - 1));
    }

    private static boolean anyContains(List<Path> poms, String text) throws IOException {
        for (Path pom : poms) {
            if (Files.readString(pom).contains(text)) {
                return true;
            }
        }
        return false;
    }
}
