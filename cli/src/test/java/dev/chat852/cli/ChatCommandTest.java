package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chat852.ChatMessage;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.MockServerTest;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chat852 chat} in-process against a mock server, over both transports. Every run is also
 * checked for the token: it must never reach stdout or stderr.
 */
@MockServerTest(demo = true, speed = 0)
@Timeout(value = 60, threadMode = SEPARATE_THREAD) // a command that never stops fails instead of hanging
class ChatCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();


    static final String TOKEN = "sk-secret-852-token";
    static final String HEADER = "{\"numOfOneDayCanCallApi\":100,\"numOfOneDayAlreadyCallApi\":3}";

    /** Runs {@code chat} against {@code server} with {@link #TOKEN} and the transport, then checks for the token. */
    static CliRun chat(MockServer server, String transport, String... more) {
        return chat(TestEnvironment.plain(), "", server, transport, more);
    }

    static CliRun chat(Environment environment, String stdin, MockServer server, String transport, String... more) {
        List<String> args = new ArrayList<>(List.of("chat", "--base-url", server.baseUri().toString(),
                "--token", TOKEN, "--transport", transport));
        args.addAll(List.of(more));
        return checked(CliRun.run(environment, stdin, args.toArray(String[]::new)), TOKEN);
    }

    static CliRun checked(CliRun run, String... secrets) {
        for (String secret : secrets) {
            assertThat(run.stdout()).as("stdout").doesNotContain(secret);
            assertThat(run.stderr()).as("stderr").doesNotContain(secret);
        }
        return run;
    }

    static List<JsonNode> lines(CliRun run) {
        return run.stdout().lines().map(line -> {
            try {
                return MAPPER.readTree(line);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).collect(Collectors.toList());
    }

    static String joinedText(List<JsonNode> lines) {
        return lines.stream().filter(l -> l.get("type").asText().equals("text"))
                .map(l -> l.get("text").asText()).collect(Collectors.joining());
    }

    /** A port nothing listens on: bound, then released. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Nested
    class Streaming {

        static Stream<Arguments> transportsAndChunkings() {
            return Stream.of("jdk", "netty").flatMap(t -> Stream.of("recorded", "bytes", "1", "3", "random:7",
                    "random:852:5").map(r -> Arguments.of(t, r)));
        }

        @ParameterizedTest(name = "--transport {0}, server re-chunking {1}")
        @MethodSource("transportsAndChunkings")
        void printsExactlyTheAnswerWhateverTheServersWriteBoundaries(String transport, String rechunk) {
            try (MockServer server = MockServer.builder().recordings(Recording.demo()).speed(0)
                    .rechunk(Rechunk.parse(rechunk)).build().start()) {
                CliRun zh = chat(server, transport, "你好");
                CliRun en = chat(server, transport, "Tell", "me", "something");

                assertThat(zh.exit()).isZero();
                assertThat(zh.stdoutBytes()).isEqualTo(Demo.ZH.getBytes(UTF_8));
                assertThat(zh.stderr()).isEmpty();
                assertThat(en.exit()).isZero();
                assertThat(en.stdout()).isEqualTo(Demo.EN);
            }
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void sendsTheWordsJoinedBySpacesAsOneUserMessage(String transport, MockServer server) {
            chat(server, transport, "--model", "gpt-4", "What", "is  HTTP?");

            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.messages()).containsExactly(ChatMessage.user("What is  HTTP?"));
                assertThat(r.model()).isEqualTo("gpt-4");
                assertThat(r.stream()).isTrue();
                assertThat(r.hasToken()).isTrue();
            });
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void jsonLinesAreTheHeaderTheTextPiecesAndEnd(String transport, MockServer server) throws IOException {
            server.enqueue(Recording.of(RecordedResponse.builder()
                    .chunk(0, "start852" + HEADER + "end852")
                    .chunk(0, "你好，")
                    .chunk(0, "world")
                    .chunk(0, "undefined")
                    .build()));

            CliRun run = chat(server, transport, "--format", "jsonl", "hi");

            assertThat(run.exit()).isZero();
            List<JsonNode> lines = lines(run);
            assertThat(lines.get(0)).isEqualTo(MAPPER.readTree(
                    "{\"type\":\"header\",\"raw\":" + MAPPER.writeValueAsString(HEADER) + ",\"json\":" + HEADER + "}"));
            assertThat(joinedText(lines)).isEqualTo("你好，world");
            assertThat(lines.subList(1, lines.size() - 1))
                    .allSatisfy(l -> assertThat(l.get("type").asText()).isEqualTo("text"));
            assertThat(lines.get(lines.size() - 1)).isEqualTo(MAPPER.readTree("{\"type\":\"end\"}"));
            assertThat(run.stdout()).endsWith("\n").doesNotContain("\r");
        }

        @Test
        void addsANewlineOnlyWhenStandardOutputIsATerminal(MockServer server) {
            CliRun piped = chat(TestEnvironment.terminals(false, false), "", server, "jdk", "hi");
            CliRun terminal = chat(TestEnvironment.terminals(false, true), "", server, "jdk", "hi");

            assertThat(piped.stdout()).isEqualTo(Demo.EN);
            assertThat(terminal.stdout()).isEqualTo(Demo.EN + "\n");
            assertThat(terminal.stdout()).doesNotContain("\u001b"); // no ANSI codes, ever
        }

        @Test
        void keepsAnAnswersOwnFinalNewlineWithoutAddingAnother(MockServer server) {
            server.enqueue(Recording.of(RecordedResponse.builder().chunk(0, "line\n").build()));

            CliRun terminal = chat(TestEnvironment.terminals(false, true), "", server, "jdk", "hi");

            assertThat(terminal.stdout()).isEqualTo("line\n");
        }
    }

    @Nested
    class WholeAnswer {

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void noStreamPrintsTheWholeAnswerFromANonStreamedRequest(String transport, MockServer server) {
            CliRun run = chat(server, transport, "--no-stream", "你好");

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(Demo.ZH);
            assertThat(server.requests()).singleElement().satisfies(r -> assertThat(r.stream()).isFalse());
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void noStreamJsonLinesAreHeaderFromInfoOneTextAndEnd(String transport, MockServer server) {
            CliRun run = chat(server, transport, "--no-stream", "--format", "JSONL", "hi");

            assertThat(run.exit()).isZero();
            List<JsonNode> lines = lines(run);
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0).get("type").asText()).isEqualTo("header");
            assertThat(lines.get(0).get("json").get("numOfOneDayCanCallApi").asInt()).isEqualTo(100);
            assertThat(lines.get(1).get("type").asText()).isEqualTo("text");
            assertThat(lines.get(1).get("text").asText()).isEqualTo(Demo.EN);
            assertThat(lines.get(2).get("type").asText()).isEqualTo("end");
        }
    }

    @Nested
    class Failures {

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void wrongTokenExitsFourWithTheServersMessage(String transport) {
            try (MockServer server = MockServer.builder().recordings(Recording.demo()).speed(0)
                    .token("right-token-852").build().start()) {
                CliRun run = checked(chat(server, transport, "hi"), "right-token-852");
                CliRun jsonl = checked(chat(server, transport, "--format", "jsonl", "hi"), "right-token-852");
                CliRun whole = checked(chat(server, transport, "--no-stream", "hi"), "right-token-852");

                assertThat(run.exit()).isEqualTo(ExitCodes.API).isEqualTo(4);
                assertThat(run.stdoutBytes()).isEmpty();
                assertThat(run.stderr()).isEqualTo("chat852 chat: API error 401: token无效" + System.lineSeparator());
                assertThat(jsonl.exit()).isEqualTo(4);
                assertThat(lines(jsonl)).singleElement().satisfies(l -> {
                    assertThat(l.get("type").asText()).isEqualTo("error");
                    assertThat(l.get("message").asText()).isEqualTo("API error 401: token无效");
                });
                assertThat(whole.exit()).isEqualTo(4);
                assertThat(whole.stderr()).contains("token无效");
            }
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void apiErrorWithAnHttpErrorStatusNamesTheStatus(String transport, MockServer server) {
            server.enqueue(Recording.of(RecordedResponse.apiError(500, "服务器繁忙").newBuilder().status(503).build()));

            CliRun run = chat(server, transport, "hi");

            assertThat(run.exit()).isEqualTo(4);
            assertThat(run.stderr()).contains("API error 500: 服务器繁忙 (HTTP 503)");
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void refusedConnectionExitsFiveNamingTheUrl(String transport) throws IOException {
            int port = closedPort();

            CliRun run = checked(CliRun.run(TestEnvironment.plain(), "", "chat", "--base-url",
                    "http://127.0.0.1:" + port, "--token", TOKEN, "--transport", transport, "hi"), TOKEN);

            assertThat(run.exit()).isEqualTo(ExitCodes.IO).isEqualTo(5);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(run.stderr()).startsWith("chat852 chat: ").contains("127.0.0.1:" + port).hasLineCount(1);
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void resetMidStreamExitsFiveAfterPrintingTheTextBeforeIt(String transport, MockServer server) {
            String header = "start852" + HEADER + "end852";
            int before = header.getBytes(UTF_8).length + "第一段".getBytes(UTF_8).length;
            server.enqueue(Recording.of(RecordedResponse.builder()
                    .chunk(0, header)
                    .chunk(0, "第一段")
                    .chunk(0, "第二段undefined")
                    .fault(Fault.stall(before, 300)) // the client reads the first part before the reset
                    .fault(Fault.reset(before))
                    .build()));
            server.enqueue(server.recordings().get(0));

            CliRun run = chat(server, transport, "hi");
            CliRun jsonl = chat(server, transport, "--format", "jsonl", "hi");

            assertThat(run.exit()).isEqualTo(5);
            assertThat(run.stdout()).isEqualTo("第一段");
            assertThat(run.stderr()).startsWith("chat852 chat: ").hasLineCount(1);
            assertThat(jsonl.exit()).isEqualTo(5);
            List<JsonNode> lines = lines(jsonl);
            assertThat(joinedText(lines)).isEqualTo("第一段");
            assertThat(lines.get(lines.size() - 1).get("type").asText()).isEqualTo("error");
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void unterminatedHeaderExitsThreeAfterPrintingTheTextBeforeIt(String transport, MockServer server) {
            server.enqueue(Recording.of(RecordedResponse.builder()
                    .chunk(0, "Hello 世界")
                    .chunk(0, "start852{\"a\":")
                    .build()));

            CliRun run = chat(server, transport, "hi");

            assertThat(run.exit()).isEqualTo(ExitCodes.PROTOCOL).isEqualTo(3);
            assertThat(run.stdout()).isEqualTo("Hello 世界");
            assertThat(run.stderr()).startsWith("chat852 chat: protocol error: ").hasLineCount(1);
        }

        /** The next request gets 503 with a text body; the ones after it the demo answers. */
        private void busyOnce(MockServer server) {
            server.enqueue(Recording.of(RecordedResponse.builder().status(503)
                    .header("Content-Type", "text/plain").chunk(0, "busy").build()));
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void retriesGetTheAnswerPastAServerThatIsBusyOnce(String transport, MockServer server) {
            String answer = chat(server, transport, "hi").stdout();
            busyOnce(server);

            CliRun run = chat(server, transport, "--retries", "1", "hi");

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(answer).isNotEmpty();
            assertThat(run.stderr()).isEmpty();
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void withoutRetriesABusyServerExitsFiveNamingTheStatus(String transport, MockServer server) {
            busyOnce(server);

            CliRun run = chat(server, transport, "hi");

            assertThat(run.exit()).isEqualTo(5);
            assertThat(run.stderr()).contains("HTTP 503");
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void httpErrorStatusWithoutTheApiWrapperExitsFive(String transport, MockServer server) {
            server.enqueue(Recording.of(RecordedResponse.builder().status(502)
                    .header("Content-Type", "text/html").chunk(0, "<h1>Bad Gateway</h1>").build()));

            CliRun run = chat(server, transport, "hi");

            assertThat(run.exit()).isEqualTo(5);
            assertThat(run.stderr()).contains("HTTP 502");
        }

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void jsonThatIsNotTheApisWrapperIsAProtocolError(String transport, MockServer server) {
            server.enqueue(Recording.of(RecordedResponse.builder()
                    .header("Content-Type", "application/json").chunk(0, "{\"hello\":\"world\"}").build()));

            CliRun run = chat(server, transport, "hi");

            assertThat(run.exit()).isEqualTo(3);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(run.stderr()).startsWith("chat852 chat: protocol error: ").contains("wrapper");
        }

        @Test
        void brokenStandardOutputCancelsTheCallAndExitsFive(MockServer server) {
            OutputStream broken = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("Broken pipe");
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exit = Main.run(new Streams(InputStream.nullInputStream(), new PrintStream(broken),
                    new PrintStream(err)), TestEnvironment.plain(), "chat", "--base-url", server.baseUri().toString(),
                    "--token", TOKEN, "hi");

            assertThat(exit).isEqualTo(5);
            assertThat(err.toString(UTF_8)).isEqualTo("chat852 chat: error writing to standard output"
                    + System.lineSeparator());
        }

        @Test
        void unmatchedRequestFailsWithTheMocksExplanation() {
            try (MockServer server = MockServer.builder().speed(0).build().start()) {
                CliRun run = chat(server, "jdk", "hi");

                assertThat(run.exit()).isEqualTo(4); // the mock's 404 body is an API-style wrapper
                assertThat(run.stderr()).contains("no recording matches");
            }
        }
    }

    @Nested
    class Prompt {

        @ParameterizedTest(name = "--transport {0}")
        @ValueSource(strings = {"jdk", "netty"})
        void dashReadsThePromptFromStandardInputWithoutItsFinalNewline(String transport, MockServer server) {
            CliRun run = chat(TestEnvironment.plain(), "你好\n", server, transport, "-");

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(Demo.ZH); // demo-zh matches exactly one message "你好"
            assertThat(server.requests()).singleElement()
                    .satisfies(r -> assertThat(r.messages()).containsExactly(ChatMessage.user("你好")));
        }

        @Test
        void noWordsReadsStandardInputWhenItIsNotATerminal(MockServer server) {
            CliRun run = chat(TestEnvironment.terminals(false, false), "line one\nline two\r\n\n", server, "jdk");

            assertThat(run.exit()).isZero();
            assertThat(server.requests()).singleElement().satisfies(r ->
                    assertThat(r.messages()).containsExactly(ChatMessage.user("line one\nline two")));
        }

        @Test
        void dashAmongWordsStandsForStandardInput(MockServer server) {
            chat(TestEnvironment.plain(), "你好\n", server, "jdk", "Translate:", "-", "(please)");

            assertThat(server.requests()).singleElement().satisfies(r ->
                    assertThat(r.messages()).containsExactly(ChatMessage.user("Translate: 你好 (please)")));
        }

        @Test
        void wordsAloneNeverReadStandardInput(MockServer server) {
            InputStream neverEnds = new InputStream() {
                @Override
                public int read() {
                    throw new AssertionError("standard input must not be read when PROMPT words are given");
                }
            };

            CliRun run = checked(CliRun.run(TestEnvironment.plain(), neverEnds, "chat", "--base-url",
                    server.baseUri().toString(), "--token", TOKEN, "hi"), TOKEN);

            assertThat(run.exit()).isZero();
        }

        @Test
        void noWordsWithATerminalOnStandardInputIsAUsageError(MockServer server) {
            CliRun run = chat(TestEnvironment.terminals(true, true), "", server, "jdk");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("no prompt");
            assertThat(server.requests()).isEmpty();
        }

        @ParameterizedTest(name = "stdin {0}")
        @ValueSource(strings = {"", "\n", "  \n\n", "\r\n"})
        void emptyPromptIsAUsageError(String stdin, MockServer server) {
            CliRun fromStdin = chat(TestEnvironment.plain(), stdin, server, "jdk");
            CliRun fromWords = chat(TestEnvironment.plain(), "", server, "jdk", " ");

            assertThat(fromStdin.exit()).isEqualTo(2);
            assertThat(fromStdin.stderr()).contains("the prompt is empty");
            assertThat(fromWords.exit()).isEqualTo(2);
            assertThat(server.requests()).isEmpty();
        }

        @Test
        void invalidUtf8OnStandardInputIsReplacedNotRejected(MockServer server) {
            byte[] stdin = {'a', (byte) 0xff, 'b'};

            CliRun run = checked(CliRun.run(TestEnvironment.plain(), new ByteArrayInputStream(stdin), "chat",
                    "--base-url", server.baseUri().toString(), "--token", TOKEN, "-"), TOKEN);

            assertThat(run.exit()).isZero();
            assertThat(server.requests()).singleElement().satisfies(r ->
                    assertThat(r.messages()).containsExactly(ChatMessage.user("a\uFFFDb")));
        }
    }
}
