package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Failure 9: an answer past the client's 16 MiB bound exits 3, and the help's exit table says so. */
@MockServerTest(speed = 0)
class ChatLimitsTest {

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void anAnswerPastTheClientsBoundIsAProtocolErrorListedInTheHelp(String transport, MockServer server) {
        String mebibyte = "x".repeat(1 << 20);
        RecordedResponse.Builder endless = RecordedResponse.builder();
        for (int i = 0; i < 17; i++) {
            endless.chunk(0, mebibyte);
        }
        server.enqueue(Recording.of(endless.build()));

        CliRun run = ChatCommandTest.chat(server, transport, "hi");

        assertThat(run.exit()).isEqualTo(3);
        assertThat(run.stdoutBytes()).hasSize(16 << 20); // what fitted was printed
        assertThat(run.stderr()).contains("16777216", "maxAnswerBytes");
        assertThat(CliRun.run("", "chat", "--help").stdout()).contains("longer than the client's 16 MiB bound");
    }
}
