package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatMessage;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numeric and enumerated option of every command, given a bad value: exit 2, nothing on stdout,
 * one line naming the option and the form it expects (in words, not Java's), then the pointer to
 * {@code --help}. And a prompt word starting with {@code @} is text, never a file of arguments.
 */
@MockServerTest(demo = true, speed = 0)
class OptionErrorsTest {
    private static final String TOKEN = "sk-option-errors-token";

    static Stream<Arguments> badValues() {
        return Stream.of(
                bad("chat --retries x hi", "option '--retries'", "'x' is not a whole number"),
                bad("chat --retries -1 hi", "option '--retries'", "must be >= 0, was -1"),
                bad("chat --offline --speed fast hi", "option '--speed'", "'fast' is not a number (such as 2 or 0.5)"),
                bad("chat --offline --speed -2 hi", "option '--speed'", "must be a finite number >= 0"),
                bad("chat --transport pigeon hi", "option '--transport", "JDK, NETTY", "'pigeon'"),
                bad("chat --format xml hi", "option '--format", "TEXT, JSONL", "'xml'"),
                bad("chat --connect-timeout soon hi", "option '--connect-timeout'", "'soon' is not a duration (such as"
                        + " 500ms, 30s, 2m, 1h, or a number of seconds)"),
                bad("chat --first-byte-timeout 10x hi", "option '--first-byte-timeout'", "'10x' is not a duration"),
                bad("chat --idle-timeout 25h hi", "option '--idle-timeout'", "'25h' is longer than a day"),
                bad("chat --max-time -1s hi", "option '--max-time'", "'-1s' is not a duration"),
                bad("chat --token " + TOKEN + " --proxy socks5://127.0.0.1:1080 hi",
                        "option '--proxy'", "'socks5://127.0.0.1:1080': SOCKS proxies are not supported"),
                bad("chat --token " + TOKEN + " --proxy http://127.0.0.1:99999 hi",
                        "option '--proxy'", "'http://127.0.0.1:99999': the port is not a number from 1 to 65535"),
                bad("chat --token " + TOKEN + " --base-url 127.0.0.1:8520 hi",
                        "--base-url: baseUrl must start with http:// or https://, such as http://127.0.0.1:8520"),
                bad("parse --chunk-size x", "option '--chunk-size'", "'x' is not a whole number"),
                bad("parse --chunk-size 0", "--chunk-size"),
                bad("parse --random-chunks x", "option '--random-chunks'", "'x' is not a whole number"),
                bad("parse --format xml", "option '--format", "TEXT, JSONL"),
                bad("mock --port x", "option '--port'", "'x' is not a port number (0 to 65535; 0 picks a free one)"),
                bad("mock --port 0 --speed fast", "option '--speed'", "'fast' is not a number"),
                bad("mock --port 70000", "option '--port'", "port must be 0..65535, was 70000"),
                bad("mock --port 0 --rechunk zz", "option '--rechunk'", "bad re-chunking 'zz' (a number is not a whole"
                        + " number); expected recorded | N | random:SEED[:MAX] | bytes"),
                bad("mock --port 0 --rechunk random:x", "option '--rechunk'", "bad re-chunking 'random:x'"),
                bad("mock --port 0 --fault reset:x", "option '--fault'", "bad fault 'reset:x' (a number is not a whole"
                        + " number)"),
                bad("record --out unused --port x", "option '--port'", "'x' is not a port number (0 to 65535"),
                bad("record --out unused --port 70000", "option '--port'", "'70000' is not a port number"),
                bad("record --out unused --upstream 127.0.0.1:8520",
                        "--upstream must start with http:// or https://, such as http://127.0.0.1:8520"));
    }

    private static Arguments bad(String commandLine, String... saying) {
        return Arguments.of(commandLine, List.of(saying));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void aBadValueExitsTwoWithOneLineNamingTheOptionAndTheForm(String commandLine, List<String> saying) {
        String[] args = commandLine.split(" ");
        CliRun run = CliRun.run("", args);

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stdoutBytes()).isEmpty();
        List<String> lines = run.stderr().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("chat852 " + args[0] + ": ").contains(saying)
                .doesNotContain("For input string", "NumberFormatException", "is not an int", "is not a long",
                        "is not a double", TOKEN);
        assertThat(lines.get(1)).isEqualTo("Try 'chat852 " + args[0] + " --help' for more information.");
    }

    @Test
    void aBadValueWithEscapeCodesIsShownAsData() {
        CliRun run = CliRun.run("", "chat", "--retries", "\u001b]0;pwned\u0007\u001b[2J", "hi");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("'\\u001b]0;pwned\\u0007\\u001b[2J' is not a whole number")
                .doesNotContain("\u001b").doesNotContain("\u0007");
    }

    @Test
    void aPromptWordStartingWithAtIsSentAsTextEvenWhenSuchAFileExists(MockServer server, @TempDir Path dir)
            throws Exception {
        Path alice = Files.writeString(dir.resolve("alice"), "--model evil --format jsonl", StandardCharsets.UTF_8);

        CliRun run = CliRun.run("", "chat", "--base-url", server.baseUri().toString(), "--token", TOKEN,
                "hello", "@" + alice);

        assertThat(run.exit()).isZero();
        assertThat(server.requests()).singleElement().satisfies(r -> {
            assertThat(r.messages()).containsExactly(ChatMessage.user("hello @" + alice));
            assertThat(r.model()).isNotEqualTo("evil");
        });
    }
}
