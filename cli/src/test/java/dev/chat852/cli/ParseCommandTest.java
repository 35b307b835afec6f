package dev.chat852.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParseCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();


    /** Chinese, an emoji and a trailing undefined, so small chunks split characters and the trailer. */
    private static final String MIXED_BODY =
            "start852{\"apiDate\":\"2026-11-25\"}end852你好，世界！Hello 😊 再见。undefined";
    private static final String MIXED_ANSWER = "你好，世界！Hello 😊 再见。";

    private static final String OVERSIZE_BODY = "hi start852" + "x".repeat(64 * 1024 + 1) + "end852 bye";

    private static String sample() {
        return Samples.sampleBody().toString();
    }

    @Nested
    class TextFormat {

        @Test
        void printsExactlyTheAnswerOfTheSampleWithNothingAdded() {
            CliRun run = CliRun.run("", "parse", sample());

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(Samples.SAMPLE_ANSWER);
            assertThat(run.stderr()).isEmpty();
        }

        @Test
        void writesTheAnswerAsUtf8Bytes() {
            CliRun run = CliRun.run("", "parse", sample());

            assertThat(run.stdoutBytes()).isEqualTo(Samples.SAMPLE_ANSWER.getBytes(UTF_8));
        }

        @ParameterizedTest(name = "--chunk-size {0}")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
        void givesTheSameTextAtEveryChunkSize(int size) {
            CliRun run = CliRun.run(MIXED_BODY, "parse", "--chunk-size", String.valueOf(size));

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(MIXED_ANSWER);
        }

        @ParameterizedTest(name = "--chunk-size {0}")
        @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
        void givesTheSampleAnswerAtEveryChunkSize(int size) {
            CliRun run = CliRun.run("", "parse", "--chunk-size", String.valueOf(size), sample());

            assertThat(run.stdout()).isEqualTo(Samples.SAMPLE_ANSWER);
        }

        @ParameterizedTest(name = "--random-chunks {0}")
        @ValueSource(longs = {0, 1, 42, -7, 852, Long.MAX_VALUE})
        void givesTheSameTextWithSeededRandomChunksAsWhole(long seed) {
            String whole = CliRun.run(MIXED_BODY, "parse").stdout();
            CliRun random = CliRun.run(MIXED_BODY, "parse", "--random-chunks", String.valueOf(seed));
            CliRun randomSample = CliRun.run("", "parse", "--random-chunks", String.valueOf(seed), sample());

            assertThat(random.exit()).isZero();
            assertThat(random.stdout()).isEqualTo(whole).isEqualTo(MIXED_ANSWER);
            assertThat(randomSample.stdout()).isEqualTo(Samples.SAMPLE_ANSWER);
        }

        @Test
        void dropsTheTrailingUndefinedButKeepsOneInTheMiddle() {
            CliRun run = CliRun.run("an undefined value, undefined", "parse");

            assertThat(run.stdout()).isEqualTo("an undefined value, ");
        }

        @Test
        void keepsTextBeforeAndBetweenHeaders() {
            CliRun run = CliRun.run("a start852{}end852b start852x end852c", "parse");

            assertThat(run.stdout()).isEqualTo("a b c");
        }

        @Test
        void readsStandardInputForADash() throws IOException {
            CliRun run = CliRun.run(Files.readAllBytes(Samples.sampleBody()), "parse", "-");

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo(Samples.SAMPLE_ANSWER);
        }

        @Test
        void readsStandardInputWithoutAFileArgument() throws IOException {
            CliRun run = CliRun.run(Files.readAllBytes(Samples.sampleBody()), "parse");

            assertThat(run.stdout()).isEqualTo(Samples.SAMPLE_ANSWER);
        }

        @Test
        void printsNothingForAnEmptyBody() {
            CliRun run = CliRun.run("", "parse");

            assertThat(run.exit()).isZero();
            assertThat(run.stdoutBytes()).isEmpty();
        }

        @Test
        void acceptsTheFormatNameInAnyCase() {
            CliRun run = CliRun.run(MIXED_BODY, "parse", "--format", "TEXT");

            assertThat(run.stdout()).isEqualTo(MIXED_ANSWER);
        }

        @Test
        @Timeout(value = 20, threadMode = SEPARATE_THREAD) // so a command that never stops fails, not hangs
        void printsTextAsItArrivesOnAPipeThatIsStillOpen() throws Exception {
            PipedOutputStream body = new PipedOutputStream();
            PipedInputStream stdin = new PipedInputStream(body, 64 * 1024);
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> Main.run(
                    stdin, new PrintStream(stdout), new PrintStream(OutputStream.nullOutputStream()), "parse"));

            body.write("start852{\"a\":1}end852你好, 世".getBytes(UTF_8));
            body.flush();
            awaitOutput(stdout, "你好, 世");
            assertThat(exit).isNotDone();

            body.write("界undefined".getBytes(UTF_8));
            body.close();

            assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
            assertThat(stdout.toString(UTF_8)).isEqualTo("你好, 世界");
        }

        private void awaitOutput(ByteArrayOutputStream stdout, String expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!stdout.toString(UTF_8).equals(expected) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stdout.toString(UTF_8)).isEqualTo(expected);
        }
    }

    @Nested
    class JsonLinesFormat {

        @Test
        void writesOneLinePerEventInStreamOrder() {
            String body = "前言 start852{\"apiDate\":\"2026-11-25\"}end852你好 world start852not json end852!undefined";

            CliRun run = CliRun.run(body, "parse", "--format", "jsonl");

            assertThat(run.exit()).isZero();
            assertThat(lines(run)).containsExactly(
                    text("前言 "),
                    header("{\"apiDate\":\"2026-11-25\"}", MAPPER.createObjectNode().put("apiDate", "2026-11-25")),
                    text("你好 world "),
                    header("not json ", null),
                    text("!"),
                    event("end"));
        }

        @Test
        void writesTheSampleAsHeaderTextAndEnd() throws IOException {
            CliRun run = CliRun.run("", "parse", "--format", "jsonl", sample());

            assertThat(run.exit()).isZero();
            assertThat(lines(run)).containsExactly(
                    header(Samples.SAMPLE_HEADER, MAPPER.readTree(Samples.SAMPLE_HEADER)),
                    text(Samples.SAMPLE_ANSWER),
                    event("end"));
        }

        @Test
        void writesJsonNullForAHeaderThatIsNotJson() {
            CliRun run = CliRun.run("start852{broken: json}end852ok", "parse", "--format", "jsonl");

            JsonNode header = lines(run).get(0);
            assertThat(header.get("type").asText()).isEqualTo("header");
            assertThat(header.get("raw").asText()).isEqualTo("{broken: json}");
            assertThat(header.has("json")).isTrue();
            assertThat(header.get("json").isNull()).isTrue();
        }

        @Test
        void writesNonAsciiUnescapedWithNewlineLineEnds() {
            CliRun run = CliRun.run("你好 😊\r\nok", "parse", "--format", "jsonl");

            assertThat(run.stdout()).isEqualTo(
                    "{\"type\":\"text\",\"text\":\"你好 😊\\r\\nok\"}\n{\"type\":\"end\"}\n");
        }

        @ParameterizedTest(name = "--chunk-size {0}")
        @ValueSource(ints = {1, 2, 3, 7})
        void textPiecesFollowTheChunkingAndJoinToTheAnswer(int size) {
            CliRun run = CliRun.run(MIXED_BODY, "parse", "--format", "jsonl", "--chunk-size", String.valueOf(size));

            List<JsonNode> lines = lines(run);
            StringBuilder answer = new StringBuilder();
            lines.stream().filter(l -> l.get("type").asText().equals("text"))
                    .forEach(l -> answer.append(l.get("text").asText()));
            assertThat(answer.toString()).isEqualTo(MIXED_ANSWER);
            assertThat(lines.get(0)).isEqualTo(
                    header("{\"apiDate\":\"2026-11-25\"}", MAPPER.createObjectNode().put("apiDate", "2026-11-25")));
            assertThat(lines.get(lines.size() - 1)).isEqualTo(event("end"));
        }
    }

    @Nested
    class ProtocolErrors {

        @Test
        void unterminatedHeaderExitsThreeAfterPrintingTheTextBeforeIt() {
            CliRun run = CliRun.run("Hello 世界start852{\"a\":", "parse");

            assertThat(run.exit()).isEqualTo(ExitCodes.PROTOCOL);
            assertThat(run.stdout()).isEqualTo("Hello 世界");
            assertThat(run.stderr()).startsWith("chat852 parse: protocol error: ")
                    .contains("ended inside the header block").endsWith(System.lineSeparator())
                    .hasLineCount(1);
        }

        @Test
        void unterminatedHeaderEndsJsonLinesWithAnErrorLine() {
            CliRun run = CliRun.run("Hello 世界start852{\"a\":", "parse", "--format", "jsonl", "--chunk-size", "4");

            assertThat(run.exit()).isEqualTo(ExitCodes.PROTOCOL);
            List<JsonNode> lines = lines(run);
            JsonNode last = lines.get(lines.size() - 1);
            assertThat(last.get("type").asText()).isEqualTo("error");
            assertThat(last.get("message").asText()).contains("ended inside the header block");
            // Text pieces follow the 4-byte chunks; where a character straddles two chunks, the decoder
            // decides how it joins the pieces around it (core's contract fixes the text, not the pieces).
            List<JsonNode> text = lines.subList(0, lines.size() - 1);
            assertThat(text).allSatisfy(l -> assertThat(l.get("type").asText()).isEqualTo("text"));
            assertThat(text).extracting(l -> l.get("text").asText())
                    .startsWith("Hell", "o ")
                    .satisfies(pieces -> assertThat(String.join("", pieces)).isEqualTo("Hello 世界"));
        }

        @Test
        void oversizeHeaderExitsThreeAfterPrintingTheTextBeforeIt() {
            CliRun run = CliRun.run(OVERSIZE_BODY, "parse");

            assertThat(run.exit()).isEqualTo(ExitCodes.PROTOCOL);
            assertThat(run.stdout()).isEqualTo("hi ");
            assertThat(run.stderr()).contains("protocol error").contains("longer than the limit of 65536 bytes");
        }

        @Test
        void oversizeHeaderEndsJsonLinesWithAnErrorLine() {
            CliRun run = CliRun.run(OVERSIZE_BODY, "parse", "--format", "jsonl");

            assertThat(run.exit()).isEqualTo(ExitCodes.PROTOCOL);
            List<JsonNode> lines = lines(run);
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).isEqualTo(text("hi "));
            assertThat(lines.get(1).get("type").asText()).isEqualTo("error");
            assertThat(lines.get(1).get("message").asText()).contains("longer than the limit");
        }

        @Test
        void headerOfExactlyTheLimitIsAccepted() {
            CliRun run = CliRun.run("start852" + "x".repeat(64 * 1024) + "end852ok", "parse");

            assertThat(run.exit()).isZero();
            assertThat(run.stdout()).isEqualTo("ok");
        }

        @Test
        @Timeout(value = 20, threadMode = SEPARATE_THREAD) // so a command that never stops fails, not hangs
        void oversizeHeaderOnAnEndlessStreamStopsReading() {
            CliRun run = CliRun.run(endless("start852", "xxxxxxxx"), "parse");

            assertThat(run.exit()).isEqualTo(ExitCodes.PROTOCOL);
        }
    }

    @Nested
    class UsageErrors {

        static Stream<Arguments> badCommandLines() {
            return Stream.of(
                    Arguments.of(List.of("parse", "--bogus"), "--bogus"),
                    Arguments.of(List.of("parse", "--chunk-size", "0"), "--chunk-size"),
                    Arguments.of(List.of("parse", "--chunk-size", "-3"), "--chunk-size"),
                    Arguments.of(List.of("parse", "--chunk-size", "1000000000"), "from 1 to 16777216"),
                    Arguments.of(List.of("parse", "--chunk-size", "many"), "--chunk-size"),
                    Arguments.of(List.of("parse", "--chunk-size"), "--chunk-size"),
                    Arguments.of(List.of("parse", "--random-chunks", "x"), "--random-chunks"),
                    Arguments.of(List.of("parse", "--chunk-size", "2", "--random-chunks", "1"), "mutually exclusive"),
                    Arguments.of(List.of("parse", "--format", "xml"), "--format"),
                    Arguments.of(List.of("parse", "a.txt", "b.txt"), "b.txt"),
                    Arguments.of(List.of("bogus"), "bogus"),
                    Arguments.of(List.of(), "Missing required subcommand"));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("badCommandLines")
        void exitsTwoWithAMessageThatNamesTheProblem(List<String> args, String named) {
            CliRun run = CliRun.run(MIXED_BODY, args.toArray(String[]::new));

            assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(firstLine(run.stderr())).startsWith("chat852").contains(named);
        }

        @Test
        void missingFileExitsTwoNamingTheFile(@TempDir Path dir) {
            String missing = dir.resolve("no-such-body.txt").toString();

            CliRun run = CliRun.run("", "parse", missing);

            assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(run.stderr()).isEqualTo(
                    "chat852 parse: cannot read FILE '" + missing + "': no such file" + System.lineSeparator());
        }

        @Test
        void directoryExitsTwoNamingTheFile(@TempDir Path dir) {
            CliRun run = CliRun.run("", "parse", "--format", "jsonl", dir.toString());

            assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.stdoutBytes()).isEmpty();
            assertThat(run.stderr()).contains(dir.toString()).contains("is a directory").hasLineCount(1);
        }
    }

    @Nested
    class IoErrors {

        @Test
        void readFailureExitsFiveAfterPrintingWhatWasDecoded() {
            CliRun run = CliRun.run(failingAfter("Hello 世界"), "parse");

            assertThat(run.exit()).isEqualTo(ExitCodes.IO);
            assertThat(run.stdout()).isEqualTo("Hello 世界");
            assertThat(run.stderr()).isEqualTo(
                    "chat852 parse: error reading standard input: disk on fire" + System.lineSeparator());
        }

        @Test
        void readFailureEndsJsonLinesWithAnErrorLine() {
            CliRun run = CliRun.run(failingAfter("Hello"), "parse", "--format", "jsonl");

            assertThat(run.exit()).isEqualTo(ExitCodes.IO);
            assertThat(lines(run)).containsExactly(
                    text("Hello"), event("error").put("message", "error reading standard input: disk on fire"));
        }

        @Test
        @Timeout(value = 20, threadMode = SEPARATE_THREAD) // so a command that never stops fails, not hangs
        void brokenStandardOutputStopsReadingAnEndlessStream() {
            OutputStream broken = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("Broken pipe");
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    throw new IOException("Broken pipe");
                }
            };
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int exit = Main.run(endless("", "text forever "), new PrintStream(broken), new PrintStream(err), "parse");

            assertThat(exit).isEqualTo(ExitCodes.IO);
            assertThat(err.toString(UTF_8)).contains("error writing to standard output");
        }

        private InputStream failingAfter(String text) {
            byte[] bytes = text.getBytes(UTF_8);
            return new InputStream() {
                private boolean sent;

                @Override
                public int read() {
                    throw new UnsupportedOperationException("the command reads arrays");
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (sent) {
                        throw new IOException("disk on fire");
                    }
                    sent = true;
                    System.arraycopy(bytes, 0, b, off, bytes.length);
                    return bytes.length;
                }
            };
        }
    }

    /** Yields {@code first}, then {@code repeated} forever. */
    private static InputStream endless(String first, String repeated) {
        byte[] head = first.getBytes(UTF_8);
        byte[] unit = repeated.getBytes(UTF_8);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                byte b = position < head.length ? head[(int) position]
                        : unit[(int) ((position - head.length) % unit.length)];
                position++;
                return b & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                for (int i = 0; i < len; i++) {
                    b[off + i] = (byte) read();
                }
                return len;
            }
        };
    }

    private static List<JsonNode> lines(CliRun run) {
        String out = run.stdout();
        assertThat(out).endsWith("\n").doesNotContain("\r\n");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.split("\n")) {
            try {
                lines.add(MAPPER.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON line: " + line, e);
            }
        }
        return lines;
    }

    private static ObjectNode event(String type) {
        return MAPPER.createObjectNode().put("type", type);
    }

    private static ObjectNode text(String text) {
        return event("text").put("text", text);
    }

    private static ObjectNode header(String raw, JsonNode json) {
        ObjectNode header = event("header").put("raw", raw);
        header.set("json", json == null ? MAPPER.nullNode() : json);
        return header;
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
