package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The statuses are a contract with scripts: docs/cli.md lists them, every command uses the same ones. */
class ExitCodesTest {

    @Test
    void statusesAreTheDocumentedNumbers() {
        assertThat(ExitCodes.OK).isZero();
        assertThat(ExitCodes.SOFTWARE).isEqualTo(1);
        assertThat(ExitCodes.USAGE).isEqualTo(2);
        assertThat(ExitCodes.PROTOCOL).isEqualTo(3);
        assertThat(ExitCodes.API).isEqualTo(4);
        assertThat(ExitCodes.IO).isEqualTo(5);
    }

    @Test
    void parseHelpListsFiveForIoErrorsAndNeverFour() {
        CliRun run = CliRun.run("", "parse", "--help");

        assertThat(run.stdout()).containsPattern("\\s5\\s+I/O error").doesNotContainPattern("\\s4\\s+I/O");
    }
}
