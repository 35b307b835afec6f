package dev.chat852.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The commands written inline in the pages' prose ({@code `java -jar cli/target/chat852.jar parse …`}):
 * each runs and exits 0, except those that need the real service (a token placeholder {@code sk-…}),
 * listed in EveryBlockIsCheckedTest. A {@code docker run} names the image this build makes (its runs are
 * docs/container.md's, which cli's ContainerDocsIT runs); Maven lines are MavenCommandsTest's.
 */
class InlineCommandsTest {

    /** Inline spans that are commands a reader would paste. */
    static Stream<Pages.Span> spans() {
        return Pages.names().stream().flatMap(page -> Pages.spans(page).stream())
                .filter(s -> s.text().matches("(?:[A-Z0-9_]+=\\S+ )*(?:java -(?:jar|cp) |echo .*\\| java ).*")
                        || s.text().matches("docker run .*chat852/mock-server:.*"));
    }

    static boolean needsTheRealService(Pages.Span span) {
        return span.text().contains("sk-…");
    }

    static Stream<Pages.Span> runnable() {
        return spans().filter(s -> !needsTheRealService(s) && !s.text().startsWith("docker "));
    }

    static Stream<Pages.Span> dockerRuns() {
        return spans().filter(s -> s.text().startsWith("docker "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnable")
    void anInlineCommandRunsAndExitsZero(Pages.Span span, @TempDir Path temp) throws Exception {
        try (Shell shell = new Shell(temp)) {
            Shell.Result result = shell.run(shell.adapt(span.text()), 180);

            assertThat(result.exit()).as("%s exits 0:\n%s", span, result).isZero();
            assertThat(result.stdout()).as("%s prints something", span).isNotBlank();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dockerRuns")
    void anInlineDockerRunNamesTheImageThisBuildMakes(Pages.Span span) {
        assertThat(span.text()).endsWith("chat852/mock-server:" + System.getProperty("chat852.version"));
    }
}
