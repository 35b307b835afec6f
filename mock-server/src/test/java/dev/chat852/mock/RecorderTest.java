package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.ChatMessage;
import dev.chat852.mock.internal.Jsons;
import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecorderTest {
    private static final String TOKEN = "sk-3d76d415-recorder-test-secret";
    private static final byte[] JIE = "界".getBytes(StandardCharsets.UTF_8);

    /** What the local upstream serves: markers and a character split, gaps long enough to arrive apart. */
    private static final RecordedResponse UPSTREAM_ANSWER = RecordedResponse.builder()
            .header("Content-Type", "text/event-stream; charset=utf-8")
            .chunk(0, "start852{\"numOfOneDayAlreadyCallApi\":3}en")
            .chunk(60, "d852世")
            .chunk(60, new byte[] {JIE[0], JIE[1]})
            .chunk(300, new byte[] {JIE[2], '!'})
            .chunk(60, "undefined")
            .build();

    @TempDir
    Path folder;

    private MockServer upstream;
    private Recorder recorder;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger jul = Logger.getLogger("dev.chat852.mock");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    @BeforeEach
    void setUp() {
        previousLevel = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(capture);
        upstream = MockServer.builder().token(TOKEN).recording(Recording.builder()
                .request(RecordedRequest.builder().model("gpt-4").message("user", "你好").build())
                .response(UPSTREAM_ANSWER).build()).build().start();
    }

    @AfterEach
    void tearDown() {
        if (recorder != null) {
            recorder.close();
        }
        upstream.close();
        jul.removeHandler(capture);
        jul.setLevel(previousLevel);
    }

    private Recorder startRecorder(URI upstreamUri) {
        recorder = Recorder.builder().upstream(upstreamUri).output(folder).build().start();
        return recorder;
    }

    @Test
    void relaysTheAnswerAsItArrivesAndRecordsItsChunksAndTiming() throws Exception {
        startRecorder(upstream.baseUri());

        RawHttp.Response client = RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

        assertThat(client.status).isEqualTo(200);
        assertThat(client.complete).isTrue();
        assertThat(client.body()).isEqualTo(UPSTREAM_ANSWER.body());
        assertThat(client.gapMillis(3)).as("relayed as it came, not buffered").isGreaterThanOrEqualTo(250);

        assertThat(recorder.recorded()).hasSize(1);
        Recording recorded = Recording.read(recorder.recorded().get(0));
        assertThat(recorded.request().model()).hasValue("gpt-4");
        assertThat(recorded.request().messages()).hasValue(List.of(new ChatMessage("user", "你好")));
        assertThat(recorded.response().status()).isEqualTo(200);
        assertThat(recorded.response().headers()).as("no framing, CORS or hop-by-hop headers")
                .containsOnlyKeys("Content-Type").containsEntry("Content-Type", "text/event-stream; charset=utf-8");
        List<Chunk> chunks = recorded.response().chunks();
        assertThat(chunks).extracting(Chunk::buffer)
                .containsExactlyElementsOf(UPSTREAM_ANSWER.chunks().stream().map(Chunk::buffer).toList());
        assertThat(chunks.get(3).delayMs()).isBetween(250L, 1_000L);
        assertThat(chunks.get(1).delayMs()).isBetween(40L, 290L);
        assertThat(Files.readString(recorder.recorded().get(0))).contains("\"upstream\"", "\"recordedAt\"", "\"params\"");
    }

    @Test
    void aRecordingReplaysWithTheSameBytesAndBoundaries() throws Exception {
        startRecorder(upstream.baseUri());
        String request = RawHttp.chat("gpt-4", TOKEN, true, "user", "你好");
        RawHttp.Response original = RawHttp.post(recorder.baseUri(), request);

        try (MockServer replay = MockServer.builder().speed(0).recordings(folder).build().start()) {
            RawHttp.Response replayed = RawHttp.post(replay.baseUri(), request);

            assertThat(replayed.chunks).hasSameSizeAs(original.chunks);
            for (int i = 0; i < original.chunks.size(); i++) {
                assertThat(replayed.chunks.get(i)).as("chunk %d", i).isEqualTo(original.chunks.get(i));
            }
            assertThat(replayed.complete).isTrue();
        }
    }

    @Test
    void theTokenIsInNoRecordingAndNoLogLine() throws Exception {
        startRecorder(upstream.baseUri());
        RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));
        RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, false, "user", "你好"));
        RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "unmatched upstream"));
        try (RawHttp http = new RawHttp(recorder.baseUri())) {
            http.send("POST", ChatApi.PATH, java.util.Map.of("Authorization", "Bearer " + TOKEN), "{\"token\":\"" + TOKEN + "\"}");
        }

        assertThat(recorder.recorded()).hasSize(4);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                assertThat(Files.readString(file)).as(file.toString()).doesNotContain(TOKEN).doesNotContain("\"token\"");
            }
        }
        assertThat(logged).as("the recorder did log").isNotEmpty();
        SimpleFormatter formatter = new SimpleFormatter();
        assertThat(logged).allSatisfy(r -> assertThat(formatter.format(r)).doesNotContain(TOKEN));
        assertThat(upstream.requests()).allSatisfy(r -> assertThat(r.toString() + r.json() + r.headers()).doesNotContain(TOKEN));
    }

    @Test
    void theNonStreamAnswerIsRecordedAsJsonAndReplaysAsIs() throws Exception {
        startRecorder(upstream.baseUri());
        String request = RawHttp.chat("gpt-4", TOKEN, false, "user", "你好");
        RawHttp.Response original = RawHttp.post(recorder.baseUri(), request);

        Recording recorded = Recording.read(recorder.recorded().get(0));
        assertThat(recorded.response().isJson()).isTrue();
        assertThat(Jsons.parseOrNull(recorded.response().bodyText()).at("/data/completion/choices/0/message/content").asText())
                .isEqualTo("世界!");
        try (MockServer replay = MockServer.builder().speed(0).recording(recorded).build().start()) {
            assertThat(RawHttp.post(replay.baseUri(), request).text()).isEqualTo(original.text());
        }
    }

    @Test
    void anUpstreamThatBreaksOffGivesARecordingThatBreaksOffTheSameWay() throws Exception {
        upstream.add(Recording.of(UPSTREAM_ANSWER.newBuilder().fault(Fault.truncate(44)).build()));
        startRecorder(upstream.baseUri());
        String request = RawHttp.chat("gpt-4", TOKEN, true, "user", "你好");

        RawHttp.Response original = RawHttp.post(recorder.baseUri(), request);

        assertThat(original.complete).isFalse();
        Recording recorded = Recording.read(recorder.recorded().get(0));
        assertThat(recorded.response().faults()).containsExactly(Fault.truncate(original.body().length));
        try (MockServer replay = MockServer.builder().speed(0).recording(recorded).build().start()) {
            RawHttp.Response replayed = RawHttp.post(replay.baseUri(), request);
            assertThat(replayed.body()).isEqualTo(original.body());
            assertThat(replayed.complete).isFalse();
        }
    }

    @Test
    void anAnswerThatEchoesTheTokenIsRelayedButNotWritten() throws Exception {
        upstream.add(Recording.of(RecordedResponse.builder().chunk(0, "your token is " + TOKEN.substring(0, 10))
                .chunk(10, TOKEN.substring(10)).build()));
        startRecorder(upstream.baseUri());

        RawHttp.Response response = RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "echo"));

        assertThat(response.text()).endsWith(TOKEN);
        assertThat(recorder.recorded()).isEmpty();
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).isEmpty();
        }
        assertThat(logged).anySatisfy(r -> assertThat(r.getLevel()).isEqualTo(Level.WARNING));
    }

    @Test
    void anUnreachableUpstreamGetsAPlainText502ThatSaysWhyAndNoRecording() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        startRecorder(URI.create("http://127.0.0.1:" + closedPort));

        RawHttp.Response response = RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

        assertThat(response.status).isEqualTo(502);
        assertThat(response.headers).containsEntry("content-type", "text/plain; charset=utf-8");
        assertThat(Jsons.parseOrNull(response.text())).as("not the API's {code, message, data} wrapper").isNull();
        assertThat(response.text()).isEqualTo("chat852 recorder: the upstream http://127.0.0.1:" + closedPort
                + " failed before answering: the connection to 127.0.0.1:" + closedPort + " was refused\n");
        assertThat(recorder.recorded()).isEmpty();
        assertOneWarningInWords("the connection to 127.0.0.1:" + closedPort + " was refused");
    }

    @Test
    void anUpstreamThatResetsOrHangsUpBeforeAnsweringGetsA502ThatSaysSo() throws Exception {
        try (HostileServer resetting = HostileServer.start(Peer::reset)) {
            startRecorder(resetting.baseUri());

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

            assertThat(response.status).isEqualTo(502);
            assertThat(response.text()).startsWith("chat852 recorder: the upstream " + resetting.baseUri()
                    + " failed before answering: ").containsIgnoringCase("reset").doesNotContain(TOKEN);
            assertOneWarningInWords("reset");
        }
        recorder.close();
        logged.clear();
        try (HostileServer hangingUp = HostileServer.start(peer -> peer.raw(""))) {
            startRecorder(hangingUp.baseUri());

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), RawHttp.chat("gpt-4", TOKEN, true, "user", "你好"));

            assertThat(response.status).isEqualTo(502);
            assertThat(response.text()).endsWith("failed before answering: it closed the connection\n");
            assertOneWarningInWords("it closed the connection");
        }
    }

    /** One WARNING, one line of words: no stack trace, no exception attached, no class of ours named. */
    private void assertOneWarningInWords(String saying) {
        List<LogRecord> warnings = logged.stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
        assertThat(warnings).singleElement().satisfies(r -> {
            String text = new SimpleFormatter().formatMessage(r);
            assertThat(text).startsWith("chat852 recorder: the upstream ").containsIgnoringCase(saying)
                    .doesNotContain("\n").doesNotContain("ProxyHandler").doesNotContain("dev.chat852").doesNotContain(TOKEN);
            assertThat(r.getThrown()).isNull();
        });
    }

    @Test
    void answersCorsPreflightsWithoutForwarding() throws Exception {
        startRecorder(upstream.baseUri());

        try (RawHttp http = new RawHttp(recorder.baseUri())) {
            RawHttp.Response preflight = http.send("OPTIONS", ChatApi.PATH,
                    java.util.Map.of("Origin", "http://localhost:3000", "Access-Control-Request-Method", "POST"), null);
            assertThat(preflight.status).isEqualTo(204);
            assertThat(preflight.headers).containsEntry("access-control-allow-origin", "*");
        }
        assertThat(upstream.requests()).isEmpty();
    }
}
