package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + MockServer.CHAT_PATH))
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
