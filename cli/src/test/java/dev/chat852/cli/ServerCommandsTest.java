package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ChatApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code chat852 mock} and {@code chat852 record} started in-process on a free port, then stopped. */
@Timeout(value = 60, threadMode = SEPARATE_THREAD)
class ServerCommandsTest {

    static final String READY = "listening on http://127\\.0\\.0\\.1:\\d+\n";

    static HttpResponse<String> post(URI base, String json) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + ChatApi.PATH))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .timeout(Duration.ofSeconds(20))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    static String chatBody(String prompt, String token) {
        return "{\"model\":\"gpt-3.5-turbo-1106\"," + (token == null ? "" : "\"token\":\"" + token + "\",")
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}],\"params\":{\"n\":1,\"stream\":true}}";
    }

    @Nested
    class Mock {

        @Test
        void printsOnlyTheReadyLineServesTheDemoAndStopsWithStatusZeroOnAnInterrupt() throws Exception {
            try (Background mock = Background.start("mock", "--port", "0", "--speed", "0")) {
                URI base = mock.awaitReady();

                HttpResponse<String> zh = post(base, chatBody("你好", null));
                HttpResponse<String> en = post(base, chatBody("hello", null));
                mock.interrupts().fire(Interrupts.SIGTERM_STATUS);

                assertThat(mock.awaitExit(Duration.ofSeconds(20))).isZero();
                assertThat(mock.stdout()).matches(READY);
                assertThat(zh.statusCode()).isEqualTo(200);
                assertThat(zh.body()).startsWith("start852{").contains(Demo.ZH).endsWith("undefined");
                assertThat(en.body()).contains(Demo.EN);
                assertThat(mock.stderr()).contains("2 recording(s)");
            }
        }

        @Test
        void servesRecordingFoldersReChunkedAndChecksTheToken(@TempDir Path dir) throws Exception {
            Recording.of(RecordedResponse.builder().chunk(0, "start852{}end852来自文件的回答undefined").build())
                    .write(dir.resolve("answer.json"));

            try (Background mock = Background.start("mock", "--port", "0", "--recordings", dir.toString(),
                    "--rechunk", "bytes", "--token", "mock-token-852", "--speed", "0")) {
                URI base = mock.awaitReady();

                HttpResponse<String> wrongToken = post(base, chatBody("hi", "wrong"));
                HttpResponse<String> right = post(base, chatBody("hi", "mock-token-852"));
                mock.interrupts().fire(Interrupts.SIGINT_STATUS);

                assertThat(mock.awaitExit(Duration.ofSeconds(20))).isZero();
                assertThat(wrongToken.body()).isEqualTo("{\"code\":401,\"message\":\"token无效\",\"data\":null}");
                assertThat(right.body()).isEqualTo("start852{}end852来自文件的回答undefined");
                assertThat(mock.stderr()).contains("1 recording(s)").contains("rechunk bytes")
                        .doesNotContain("mock-token-852");
            }
        }

        @Test
        void appliesFaultsToEveryResponse() throws Exception {
            try (Background mock = Background.start("mock", "--port", "0", "--speed", "0",
                    "--fault", "status:503", "--fault", "delay:10")) {
                URI base = mock.awaitReady();

                HttpResponse<String> response = post(base, chatBody("hi", null));

                assertThat(response.statusCode()).isEqualTo(503);
                assertThat(response.body()).contains("\"code\":503");
            }
        }

        @Test
        void keepsServingUntilInterrupted() throws Exception {
            try (Background mock = Background.start("mock", "--port", "0", "--speed", "0")) {
                URI base = mock.awaitReady();
                post(base, chatBody("one", null));
                Thread.sleep(200);

                assertThat(mock.isDone()).isFalse();
                assertThat(post(base, chatBody("two", null)).statusCode()).isEqualTo(200);
            }
        }

        @Test
        void aPortInUseExitsFive() throws Exception {
            try (ServerSocket taken = new ServerSocket(0)) {
                CliRun run = CliRun.run("", "mock", "--port", String.valueOf(taken.getLocalPort()));

                assertThat(run.exit()).isEqualTo(5);
                assertThat(run.stdoutBytes()).isEmpty();
                assertThat(run.stderr()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            }
        }

        static Stream<Arguments> badCommandLines() {
            return Stream.of(
                    Arguments.of(List.of("--fault", "explode:3"), "bad fault 'explode:3'"),
                    Arguments.of(List.of("--fault", "reset:-1"), "reset"),
                    Arguments.of(List.of("--fault", "stall:10"), "stall"),
                    Arguments.of(List.of("--rechunk", "zero"), "bad re-chunking 'zero'"),
                    Arguments.of(List.of("--rechunk", "0"), "re-chunking"),
                    Arguments.of(List.of("--speed", "-2"), "speed"),
                    Arguments.of(List.of("--port", "70000"), "port"),
                    Arguments.of(List.of("--port", "http"), "--port"),
                    Arguments.of(List.of("--recordings", "no/such/folder"), "no such file or folder"),
                    Arguments.of(List.of("--token", ""), "--token"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badCommandLines")
        void badOptionsExitTwoWithTheParsersMessage(List<String> options, String named) {
            String[] args = Stream.concat(Stream.of("mock"), options.stream()).toArray(String[]::new);

            CliRun run = CliRun.run("", args);

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(run.stderr()).startsWith("chat852 mock: ").contains(named);
        }

        @Test
        void anInvalidRecordingFileExitsTwoNamingTheFile(@TempDir Path dir) throws IOException {
            Path bad = Files.writeString(dir.resolve("broken.json"), "{\"response\":{\"chunks\":[{\"delayMs\":0}]}}");

            CliRun run = CliRun.run("", "mock", "--port", "0", "--recordings", bad.toString());

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("broken.json, line 1, column 24: response.chunks[0] must have exactly one of");
        }

        @Test
        void aFaultLongerThanADayExitsTwoInsteadOfAnsweringAtOnce() {
            CliRun run = CliRun.run("", "mock", "--port", "0", "--fault", "delay:10000000000000");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("delay:10000000000000", "one day");
        }

        @Test
        void helpDocumentsTheOptionsWithoutAToken() {
            CliRun run = CliRun.run("", "mock", "--help");

            assertThat(run.stdout()).contains("--host=H", "--port=P", "--recordings=DIR|FILE", "--speed=X",
                    "--rechunk=", "--token=T", "--fault=SPEC", "8520", "Exit status:");
        }
    }

    @Nested
    class MockFromTheEnvironment {

        private Environment variables(String... nameValue) {
            Map<String, String> map = new HashMap<>();
            for (int i = 0; i < nameValue.length; i += 2) {
                map.put(nameValue[i], nameValue[i + 1]);
            }
            return new Environment(map, false, false, Interrupts.NONE);
        }

        @Test
        void takesEveryOptionFromItsVariable(@TempDir Path dir) throws Exception {
            Path first = Files.createDirectories(dir.resolve("first"));
            Path second = Files.createDirectories(dir.resolve("second"));
            Recording.of(RecordedResponse.builder().chunk(0, "start852{}end852第一个").build()).write(first.resolve("a.json"));
            Recording.builder().name("b").request(dev.chat852.mock.RecordedRequest.builder().message("user", "two").build())
                    .response(RecordedResponse.builder().chunk(0, "第二个").build()).build().write(second.resolve("b.json"));
            Environment env = variables("CHAT852_MOCK_HOST", "127.0.0.1", "CHAT852_MOCK_PORT", "0",
                    "CHAT852_MOCK_SPEED", "0", "CHAT852_MOCK_RECHUNK", "bytes", "CHAT852_MOCK_TOKEN", "env-token-852",
                    "CHAT852_MOCK_RECORDINGS", second + "," + first, "CHAT852_MOCK_FAULT", "delay:1,stall:2:5");

            try (Background mock = Background.start(env, InputStream.nullInputStream(), "mock")) {
                URI base = mock.awaitReady();

                HttpResponse<String> wrongToken = post(base, chatBody("hi", "wrong"));
                HttpResponse<String> two = post(base, chatBody("two", "env-token-852"));
                HttpResponse<String> other = post(base, chatBody("other", "env-token-852"));
                mock.interrupts().fire(Interrupts.SIGTERM_STATUS);

                assertThat(mock.stdout()).matches(READY);
                assertThat(wrongToken.body()).isEqualTo("{\"code\":401,\"message\":\"token无效\",\"data\":null}");
                assertThat(two.body()).isEqualTo("第二个");
                assertThat(other.body()).as("answered by the other folder's recording, which matches any request").isEqualTo("start852{}end852第一个");
                assertThat(mock.awaitExit(Duration.ofSeconds(20))).isZero();
                assertThat(mock.stderr()).contains("2 recording(s)", "speed 0.0", "rechunk bytes", "faults [delay:1, stall:2:5]",
                        "token checked").doesNotContain("env-token-852");
            }
        }

        @Test
        void theCommandLineWinsOverTheVariables() throws Exception {
            Environment env = variables("CHAT852_MOCK_PORT", "not a port", "CHAT852_MOCK_SPEED", "fast",
                    "CHAT852_MOCK_FAULT", "status:503");

            try (Background mock = Background.start(env, InputStream.nullInputStream(),
                    "mock", "--port", "0", "--speed", "0", "--fault", "delay:1")) {
                URI base = mock.awaitReady();

                assertThat(post(base, chatBody("hello", null)).body()).contains(Demo.EN);
            }
        }

        @Test
        void anEmptyVariableIsUnset() throws Exception {
            Environment env = variables("CHAT852_MOCK_TOKEN", "", "CHAT852_MOCK_RECORDINGS", "");

            try (Background mock = Background.start(env, InputStream.nullInputStream(), "mock", "--port", "0", "--speed", "0")) {
                URI base = mock.awaitReady();

                assertThat(post(base, chatBody("你好", null)).body()).contains(Demo.ZH);
                assertThat(mock.stderr()).doesNotContain("token checked");
            }
        }

        static Stream<Arguments> badVariables() {
            return Stream.of(
                    Arguments.of("CHAT852_MOCK_SPEED", "fast", "environment variable CHAT852_MOCK_SPEED: 'fast' is not a number"),
                    Arguments.of("CHAT852_MOCK_SPEED", "-1", "CHAT852_MOCK_SPEED: speed must be"),
                    Arguments.of("CHAT852_MOCK_PORT", "http", "environment variable CHAT852_MOCK_PORT: 'http' is not a port number"),
                    Arguments.of("CHAT852_MOCK_PORT", "70000", "CHAT852_MOCK_PORT: port must be"),
                    Arguments.of("CHAT852_MOCK_FAULT", "reset:1,explode:3", "CHAT852_MOCK_FAULT: bad fault 'explode:3'"),
                    Arguments.of("CHAT852_MOCK_RECHUNK", "zero", "CHAT852_MOCK_RECHUNK: bad re-chunking 'zero'"),
                    Arguments.of("CHAT852_MOCK_RECORDINGS", "no/such/folder",
                            "CHAT852_MOCK_RECORDINGS 'no/such/folder': no such file or folder"));
        }

        @ParameterizedTest(name = "{0}={1}")
        @MethodSource("badVariables")
        void aBadValueExitsTwoNamingTheVariable(String variable, String value, String message) {
            Environment env = variable.endsWith("PORT") ? variables(variable, value)
                    : variables(variable, value, "CHAT852_MOCK_PORT", "0");

            CliRun run = CliRun.run(env, "", "mock");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(run.stderr()).startsWith("chat852 mock: ").contains(message);
        }

        @Test
        void helpNamesTheVariables() {
            CliRun run = CliRun.run("", "mock", "--help");

            assertThat(run.stdout()).contains("Environment:", "CHAT852_MOCK_", "_SPEED", "_TOKEN", "comma-separated");
        }
    }

    @Nested
    class Record {

        @Test
        void forwardsToTheUpstreamWritesARecordingAndReportsItOnStderr(@TempDir Path dir) throws Exception {
            Path out = dir.resolve("recordings");
            try (MockServer upstream = MockServer.builder().recordings(Recording.demo()).speed(0).build().start();
                 Background record = Background.start("record", "--port", "0", "--upstream",
                         upstream.baseUri().toString(), "--out", out.toString())) {
                URI base = record.awaitReady();

                HttpResponse<String> response = post(base, chatBody("你好", "record-token-852"));
                record.interrupts().fire(Interrupts.SIGTERM_STATUS);

                assertThat(record.awaitExit(Duration.ofSeconds(20))).isZero();
                assertThat(response.body()).contains(Demo.ZH);
                assertThat(record.stdout()).matches(READY);
                List<Path> files;
                try (Stream<Path> listed = Files.list(out)) {
                    files = listed.collect(Collectors.toList());
                }
                assertThat(files).singleElement().satisfies(file -> {
                    assertThat(record.stderr()).contains("chat852 record: recorded " + file);
                    assertThat(Files.readString(file)).doesNotContain("record-token-852");
                    assertThat(Recording.read(file).response().bodyText()).contains(Demo.ZH);
                });
                assertThat(record.stderr()).doesNotContain("record-token-852");
            }
        }

        @Test
        void outIsRequired() {
            CliRun run = CliRun.run("", "record", "--port", "0");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("--out");
        }

        @Test
        void anUpstreamThatIsNotHttpExitsTwo(@TempDir Path dir) {
            CliRun run = CliRun.run("", "record", "--port", "0", "--upstream", "ftp://example.com",
                    "--out", dir.toString());

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).startsWith("chat852 record: ");
        }

        @Test
        void anOutThatIsAFileExitsTwo(@TempDir Path dir) throws IOException {
            Path file = Files.writeString(dir.resolve("file"), "x");

            CliRun run = CliRun.run("", "record", "--port", "0", "--out", file.toString());

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.stderr()).contains("--out");
        }
    }
}
