package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void versionPrintsTheProjectVersion() {
        CliRun run = CliRun.run("", "--version");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout().strip()).matches("chat852 \\d+\\.\\d+\\.\\d+\\S*");
    }

    @Test
    void helpListsEveryCommand() {
        CliRun run = CliRun.run("", "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).contains("Usage: chat852").contains("chat", "parse", "mock", "record");
    }

    @Test
    void theInProcessEntryPointRunsACommand() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = Main.run(InputStream.nullInputStream(), new PrintStream(out),
                new PrintStream(OutputStream.nullOutputStream()), "chat", "--offline", "--speed", "0", "--no-stream", "hi");

        assertThat(exit).isZero();
        assertThat(out.toString(UTF_8)).isEqualTo(Demo.EN);
    }

    @Test
    void parseHelpDocumentsTheFlagsAndExitStatus() {
        CliRun run = CliRun.run("", "parse", "--help");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).contains("--chunk-size=N", "--random-chunks=SEED", "--format=FORMAT", "Exit status:");
    }

    @Test
    void helpSubcommandShowsTheHelpOfACommand() {
        CliRun run = CliRun.run("", "help", "parse");

        assertThat(run.exit()).isZero();
        assertThat(run.stdout()).contains("Usage: chat852 parse");
    }

    @Test
    void usageErrorsPointToHelpInsteadOfPrintingTheWholeUsage() {
        CliRun run = CliRun.run("", "parse", "--chunk-siz", "3");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("Try 'chat852 parse --help' for more information.")
                .doesNotContain("Usage:");
    }
}
