package dev.chat852.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.Dialect;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.testkit.OpenAiStreams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code chat --dialect openai} against the mock, the key from OPENAI_API_KEY; {@code parse --dialect openai} on SSE bodies. */
@Timeout(value = 60, threadMode = SEPARATE_THREAD)
class OpenAiDialectCliTest {
    private static final String KEY = "sk-proj-cli-test-9a8b7c6d";
    private static final Recording ZH = Recording.demo(Dialect.OPENAI).get(0);
    private static final String ZH_TEXT = answer(ZH);

    @TempDir
    Path folder;

    /** The recording's answer, read by the test kit's reference reader (the CLI must print exactly it). */
    static String answer(Recording recording) {
        return OpenAiStreams.read(recording.response().body()).text();
    }

    private static Environment withKey() {
        return new Environment(Map.of(Environment.OPENAI_KEY_VARIABLE, KEY), false, false, Interrupts.NONE);
    }

    @ParameterizedTest(name = "--transport {0}")
    @ValueSource(strings = {"jdk", "netty"})
    void chatsWithAnOpenAiServerTheKeyFromTheEnvironment(String transport) {
        try (MockServer server = MockServer.builder().speed(0).token(KEY).recordings(Recording.demo(Dialect.OPENAI))
                .build().start()) {
            CliRun run = ChatCommandTest.checked(CliRun.run(withKey(), "", "chat", "--dialect", "openai", "--transport",
                    transport, "--base-url", server.baseUri() + "/v1", "你好"), KEY);

            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).isEqualTo(ZH_TEXT);
            assertThat(server.requests()).singleElement().satisfies(r -> {
                assertThat(r.hasToken()).isTrue();
                assertThat(r.model()).isEqualTo("gpt-4o-mini");
            });
        }
    }

    @Test
    void jsonLinesEndWithTheFinishReasonAndUsage() {
        try (MockServer server = MockServer.builder().speed(0).recordings(Recording.demo(Dialect.OPENAI)).build().start()) {
            CliRun run = CliRun.run(withKey(), "", "chat", "--dialect", "OpenAI", "--format", "jsonl",
                    "--base-url", server.baseUri().toString(), "你好");

            assertThat(run.exit()).as(run.stderr()).isZero();
            List<JsonNode> lines = ChatCommandTest.lines(run);
            assertThat(lines).extracting(l -> l.get("type").asText()).endsWith("finish", "usage", "end");
            assertThat(lines.get(lines.size() - 3).get("reason").asText()).isEqualTo("stop");
            assertThat(lines.get(lines.size() - 2).at("/usage/total_tokens").asInt()).isPositive();
        }
    }

    @Test
    void aWrongKeyIsAnApiErrorWithOpenAisCodeAndExit4() {
        try (MockServer server = MockServer.builder().speed(0).token("sk-other").recordings(Recording.demo(Dialect.OPENAI))
                .build().start()) {
            CliRun run = ChatCommandTest.checked(CliRun.run(withKey(), "", "chat", "--dialect", "openai",
                    "--base-url", server.baseUri().toString(), "你好"), KEY);

            assertThat(run.exit()).isEqualTo(ExitCodes.API);
            assertThat(run.stderr()).contains("API error invalid_api_key: Incorrect API key provided (HTTP 401)");
        }
    }

    @Test
    void withoutAKeyItSaysWhichVariableToSet() {
        CliRun run = CliRun.run("", "chat", "--dialect", "openai", "hi");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("OPENAI_API_KEY");
    }

    @Test
    void anUnknownDialectIsAUsageErrorNamingTheChoices() {
        CliRun run = CliRun.run("", "chat", "--dialect", "sse", "--offline", "hi");

        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.stderr()).contains("--dialect", "852 or openai");
    }

    @Test
    void offlineAnswersFromTheBundledOpenAiDemo() {
        CliRun run = CliRun.run("", "chat", "--dialect", "openai", "--offline", "--speed", "0", "你好");

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).isEqualTo(ZH_TEXT);
    }

    @Test
    void parseDecodesACapturedSseBodyAtAnyChunking() throws Exception {
        Path body = folder.resolve("body.sse");
        Files.write(body, ZH.response().body());
        for (String[] chunking : List.of(new String[0], new String[] {"--chunk-size", "1"},
                new String[] {"--random-chunks", "852"})) {
            List<String> args = new java.util.ArrayList<>(List.of("parse", "--dialect", "openai", body.toString()));
            args.addAll(List.of(chunking));
            CliRun run = CliRun.run("", args.toArray(String[]::new));
            assertThat(run.exit()).as(run.stderr()).isZero();
            assertThat(run.stdout()).isEqualTo(ZH_TEXT);
        }
        CliRun jsonl = CliRun.run("", "parse", "--dialect", "openai", "--format", "jsonl", body.toString());
        assertThat(ChatCommandTest.lines(jsonl)).extracting(l -> l.get("type").asText()).startsWith("text")
                .endsWith("finish", "usage", "end");
    }

    @Test
    void parseReportsAnErrorEventWithExit4AndABrokenEventWithExit3() {
        String error = "data: {\"choices\":[{\"delta\":{\"content\":\"part\"}}]}\n\n"
                + "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n";
        CliRun failed = CliRun.run(error, "parse", "--dialect", "openai", "--format", "jsonl");
        assertThat(failed.exit()).isEqualTo(ExitCodes.API);
        assertThat(ChatCommandTest.lines(failed)).extracting(l -> l.get("type").asText()).containsExactly("text", "error");
        assertThat(failed.stderr()).contains("the server sent an error: overloaded");

        CliRun broken = CliRun.run("data: {\"choices\":[{\"delta\":{\"content\":\"ok\"}}]}\n\ndata: <html>\n\n",
                "parse", "--dialect", "openai");
        assertThat(broken.exit()).isEqualTo(ExitCodes.PROTOCOL);
        assertThat(broken.stdout()).isEqualTo("ok");
        assertThat(broken.stderr()).contains("protocol error", "<html>");
    }

    @Test
    void aCutStreamExitsFiveWithTheTextBeforeTheCut() {
        int cut = new String(ZH.response().body(), StandardCharsets.ISO_8859_1).indexOf("\n\n", 1500) + 2;
        try (MockServer server = MockServer.builder().speed(0).recording(ZH.newBuilder()
                .response(ZH.response().newBuilder().fault(Fault.truncate(cut + 10)).build()).build()).build().start()) {
            CliRun run = CliRun.run(withKey(), "", "chat", "--dialect", "openai", "--base-url",
                    server.baseUri().toString(), "你好");

            assertThat(run.exit()).isEqualTo(ExitCodes.IO);
            String expected = answer(Recording.builder().dialect(Dialect.OPENAI).response(RecordedResponse.builder()
                    .chunk(0, java.util.Arrays.copyOf(ZH.response().body(), cut)).build()).build());
            assertThat(run.stdout()).isEqualTo(expected);
        }
    }
}
