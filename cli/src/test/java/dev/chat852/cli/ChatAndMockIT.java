package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code chat}, {@code mock} and {@code record} as separate processes of the shaded jar: the README's
 * commands, real signals, real standard streams.
 */
@Timeout(120)
class ChatAndMockIT {

    @BeforeAll
    static void jarWasBuilt() {
        assertThat(Samples.REPO_ROOT.resolve(Jar.PATH)).as("the shaded jar (built by package)").isRegularFile();
    }

    @Test
    void offlineChatInChinesePrintsTheDemoAnswerAndExitsZero() throws Exception {
        Jar.Result result = Jar.run(null, "chat", "--offline", "你好");

        assertThat(result.exit()).isZero();
        assertThat(result.stdoutBytes()).isEqualTo(Demo.ZH.getBytes(UTF_8)); // a pipe: nothing added
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void offlineChatInEnglishPrintsTheOtherDemoAnswer() throws Exception {
        Jar.Result result = Jar.run(null, "chat", "--offline", "--speed", "0", "Hello", "there");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(Demo.EN);
        assertThat(result.stderr()).isEmpty();
    }

    @Test
    void offlineChatReadsAPipedPrompt() throws Exception {
        Jar.Result result = Jar.run("你好\n".getBytes(UTF_8), "chat", "--offline", "--speed", "0");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).isEqualTo(Demo.ZH);
    }

    @Test
    void promptWordsDoNotWaitForAStandardInputThatStaysOpen() throws Exception {
        try (Jar.Running chat = Jar.start(Map.of(), "chat", "--offline", "--speed", "0", "--format", "jsonl", "hi")) {
            // stdin is a pipe that is never closed: reading it would hang
            Jar.Result result = chat.await(60, TimeUnit.SECONDS);

            assertThat(result.exit()).isZero();
            assertThat(result.stdout()).startsWith("{\"type\":\"header\"").endsWith("{\"type\":\"end\"}\n");
        }
    }

    @Test
    void sigtermDuringAStreamCancelsItKeepsThePrintedTextAndExits143() throws Exception {
        try (Jar.Running chat = Jar.start(Map.of(), "chat", "--offline", "hi")) { // ~3.5 s of recorded pauses
            chat.awaitOutput(60, TimeUnit.SECONDS);
            chat.process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its stdout

            Jar.Result result = chat.await(30, TimeUnit.SECONDS);

            assertThat(result.exit()).isEqualTo(143);
            assertThat(Demo.EN).startsWith(result.stdout());
            assertThat(result.stdout()).isNotEqualTo(Demo.EN);
            assertThat(result.stderr()).isEqualTo("chat852 chat: interrupted: the call was cancelled" + System.lineSeparator());
        }
    }

    @Test
    void mockPrintsTheReadyLineServesChatOverNettyAndExitsZeroOnSigterm() throws Exception {
        try (Jar.Running mock = Jar.start(Map.of(), "mock", "--port", "0", "--speed", "0")) {
            String ready = mock.awaitFirstLine(60, TimeUnit.SECONDS);
            assertThat(ready).matches("listening on http://127\\.0\\.0\\.1:\\d+");
            URI base = URI.create(ready.substring("listening on ".length()));

            HttpResponse<String> direct = ServerCommandsTest.post(base, ServerCommandsTest.chatBody("你好", null));
            Jar.Result chat = Jar.run(null, "chat", "--base-url", base.toString(), "--token", "t",
                    "--transport", "netty", "你好");
            Jar.Result jsonl = Jar.run(null, "chat", "--base-url", base.toString(), "--token", "t",
                    "--format", "jsonl", "--no-stream", "hi");
            mock.process.toHandle().destroy(); // SIGTERM, keeping its stdout readable
            Jar.Result stopped = mock.await(30, TimeUnit.SECONDS);

            assertThat(direct.body()).contains(Demo.ZH);
            assertThat(chat.exit()).isZero();
            assertThat(chat.stdout()).isEqualTo(Demo.ZH);
            assertThat(jsonl.exit()).isZero();
            assertThat(jsonl.stdout()).contains(Demo.EN).endsWith("{\"type\":\"end\"}\n");
            assertThat(stopped.exit()).isZero();
            assertThat(stopped.stdout()).isEqualTo(ready + "\n");
        }
    }

    @Test
    void chatAgainstAMockThatChecksTheTokenExitsFourAndNeverPrintsTheToken() throws Exception {
        try (Jar.Running mock = Jar.start(Map.of(), "mock", "--port", "0", "--speed", "0", "--token", "right-852")) {
            String base = mock.awaitFirstLine(60, TimeUnit.SECONDS).substring("listening on ".length());

            Jar.Result wrong;
            try (Jar.Running chat = Jar.start(Map.of(Environment.TOKEN_VARIABLE, "wrong-token-852"),
                    "chat", "--base-url", base, "hi")) {
                chat.process.getOutputStream().close();
                wrong = chat.await(60, TimeUnit.SECONDS);
            }

            assertThat(wrong.exit()).isEqualTo(4);
            assertThat(wrong.stderr()).isEqualTo("chat852 chat: API error 401: token无效" + System.lineSeparator());
            assertThat(wrong.stdout()).isEmpty();
            assertThat(mock.stderr()).doesNotContain("right-852");
        }
    }

    @Test
    void chatToAClosedPortExitsFive() throws Exception {
        int port = ChatCommandTest.closedPort();

        Jar.Result result = Jar.run(null, "chat", "--base-url", "http://127.0.0.1:" + port, "--token",
                "secret-852-token", "hi");

        assertThat(result.exit()).isEqualTo(5);
        assertThat(result.stderr()).contains("127.0.0.1:" + port).doesNotContain("secret-852-token");
    }
}
