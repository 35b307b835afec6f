package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.internal.Jsons;
import dev.chat852.protocol.ChatApi;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.LogCapture;
import dev.chat852.testkit.Peer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The recorder as a proxy, against an upstream whose every byte the test writes: which request headers
 * reach the upstream and which answer headers reach the client and the recording, the timing it
 * records, connections kept or closed, and an upstream or a client that goes away mid-answer.
 */
class RecorderProxyTest {
    private static final String TOKEN = "sk-proxy-test-token-5b1e";
    private static final String REQUEST = RawHttp.chat("gpt-4", TOKEN, true, "user", "你好");

    @TempDir
    Path folder;

    private LogCapture log;
    private Recorder recorder;

    @BeforeEach
    void captureLog() {
        log = LogCapture.start(Set.of("dev.chat852.mock"));
    }

    @AfterEach
    void tearDown() {
        if (recorder != null) {
            recorder.close();
        }
        log.close();
    }

    private Recorder record(java.net.URI upstream) {
        recorder = Recorder.builder().upstream(upstream).output(folder).build().start();
        return recorder;
    }

    private static void answerHi(Peer.Request request, Peer peer) throws Exception {
        peer.chunkedHead(200, "text/event-stream").chunk("hi").endChunks();
    }

    private List<LogCapture.Entry> warnings() {
        return log.entries().stream().filter(e -> e.logger().equals("dev.chat852.mock"))
                .filter(e -> e.level().intValue() >= Level.WARNING.intValue()).toList();
    }

    @Test
    void forwardsTheRequestToTheUpstreamsPathWithItsOwnHeadersButNotHopByHopOnes() throws Exception {
        try (HostileServer upstream = HostileServer.answering(RecorderProxyTest::answerHi)) {
            record(upstream.uri("/prefix"));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("X-Custom", "kept");
            headers.put("Authorization", "Bearer " + TOKEN);
            headers.put("Keep-Alive", "timeout=5");
            headers.put("TE", "trailers");
            headers.put("Trailer", "X-Sum");
            headers.put("Upgrade", "h2c");
            headers.put("HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA");
            headers.put("Proxy-Authorization", "Basic cHJveHk6c2VjcmV0");
            headers.put("Proxy-Connection", "keep-alive");
            headers.put("Accept-Encoding", "gzip");
            try (RawHttp http = new RawHttp(recorder.baseUri())) {
                assertThat(http.send("POST", ChatApi.PATH, headers, REQUEST).text()).isEqualTo("hi");
            }

            Peer.Request forwarded = upstream.takeRequest();
            assertThat(forwarded.line()).isEqualTo("POST /prefix" + ChatApi.PATH + " HTTP/1.1");
            assertThat(forwarded.bodyText()).isEqualTo(REQUEST);
            assertThat(forwarded.headers()).containsEntry("x-custom", "kept")
                    .containsEntry("authorization", "Bearer " + TOKEN)
                    .containsEntry("content-type", "application/json")
                    .containsEntry("host", "127.0.0.1:" + upstream.port())
                    .containsEntry("content-length", Integer.toString(REQUEST.getBytes(StandardCharsets.UTF_8).length))
                    .as("identity, so that the recording holds the answer's own bytes")
                    .containsEntry("accept-encoding", "identity")
                    .containsEntry("connection", "close")
                    .doesNotContainKeys("keep-alive", "te", "trailer", "upgrade", "http2-settings",
                            "proxy-authorization", "proxy-connection");
        }
    }

    @Test
    void relaysAndRecordsTheAnswersHeadersButNotFramingCookiesDateOrTheUpstreamsCors() throws Exception {
        try (HostileServer upstream = HostileServer.answering((request, peer) -> peer.head(201,
                "Content-Type: text/event-stream", "X-Request-Id: r-1", "Set-Cookie: session=1",
                "Date: Sat, 05 Dec 2026 05:00:00 GMT", "Access-Control-Allow-Origin: https://elsewhere.example",
                "Keep-Alive: timeout=5", "Transfer-Encoding: chunked").chunk("hi").endChunks())) {
            record(upstream.baseUri());

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), REQUEST);

            assertThat(response.status).isEqualTo(201);
            assertThat(response.text()).isEqualTo("hi");
            assertThat(response.headers).containsEntry("x-request-id", "r-1")
                    .containsEntry("access-control-allow-origin", "*")
                    .containsEntry("transfer-encoding", "chunked")
                    .doesNotContainKeys("set-cookie", "date", "keep-alive");
            RecordedResponse recorded = Recording.read(recorder.recorded().get(0)).response();
            assertThat(recorded.status()).isEqualTo(201);
            assertThat(recorded.headers()).containsOnlyKeys("Content-Type", "X-Request-Id");
        }
    }

    @Test
    void recordsTheWaitForTheHeadAndDelaysThatAddUpToTheTimeTheAnswerTook() throws Exception {
        try (HostileServer upstream = HostileServer.answering((request, peer) -> {
                peer.pause(300).chunkedHead(200, "text/event-stream").chunk("a");
                peer.pause(200).chunk("b").pause(200).chunk("c").pause(200).chunk("d").endChunks();
            })) {
            record(upstream.baseUri());

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), REQUEST);

            long headMillis = (response.headersNanos - response.sentNanos) / 1_000_000;
            long bodyMillis = (response.arrivals.get(response.arrivals.size() - 1) - response.headersNanos) / 1_000_000;
            RecordedResponse recorded = Recording.read(recorder.recorded().get(0)).response();
            assertThat(recorded.headersDelayMs()).isBetween(250L, headMillis);
            assertThat(recorded.chunks()).extracting(Chunk::text).containsExactly("a", "b", "c", "d");
            assertThat(recorded.chunks().subList(1, 4)).allSatisfy(c -> assertThat(c.delayMs()).isGreaterThanOrEqualTo(150));
            assertThat(recorded.durationMs()).as("the delays add up to the time from the head to the last chunk")
                    .isBetween(550L, bodyMillis + 100);
        }
    }

    @Test
    void keepsTheClientsConnectionForItsNextRequestUntilARequestSaysClose() throws Exception {
        try (HostileServer upstream = HostileServer.answering(RecorderProxyTest::answerHi)) {
            record(upstream.baseUri());
            try (RawHttp http = new RawHttp(recorder.baseUri())) {
                RawHttp.Response first = http.send("POST", ChatApi.PATH, Map.of(), REQUEST);
                RawHttp.Response notFound = http.send("GET", "/elsewhere", Map.of(), null);
                RawHttp.Response second = http.send("POST", ChatApi.PATH, Map.of(), REQUEST);
                RawHttp.Response last = http.send("POST", ChatApi.PATH, Map.of("Connection", "close"), REQUEST);

                assertThat(List.of(first, second, last)).allSatisfy(r -> {
                    assertThat(r.text()).isEqualTo("hi");
                    assertThat(r.complete).isTrue();
                });
                assertThat(first.headers).containsEntry("connection", "keep-alive");
                assertThat(notFound.status).isEqualTo(404);
                assertThat(notFound.headers).containsEntry("connection", "keep-alive");
                assertThat(last.headers).containsEntry("connection", "close");
                assertThat(http.closedByServer()).isTrue();
            }
            assertThat(recorder.recorded()).hasSize(3);
        }
    }

    @Test
    void aRequestThatIsNotForAChatEndpointGetsA404ThatSaysWhatIsForwarded() throws Exception {
        try (HostileServer upstream = HostileServer.answering(RecorderProxyTest::answerHi)) {
            record(upstream.baseUri());
            try (RawHttp http = new RawHttp(recorder.baseUri())) {
                RawHttp.Response get = http.send("GET", ChatApi.PATH, Map.of(), null);
                RawHttp.Response elsewhere = http.send("POST", "/v2/other", Map.of("Connection", "close"), REQUEST);

                for (RawHttp.Response r : List.of(get, elsewhere)) {
                    assertThat(r.status).isEqualTo(404);
                    assertThat(r.headers).containsEntry("content-type", ChatApi.JSON_CONTENT_TYPE)
                            .containsEntry("access-control-allow-origin", "*")
                            .containsEntry("content-length", Integer.toString(r.body().length));
                    assertThat(r.text()).contains("chat852 recorder forwards POST " + ChatApi.PATH + " and POST /v1/chat/completions only");
                }
                assertThat(elsewhere.headers).containsEntry("connection", "close");
                assertThat(http.closedByServer()).isTrue();
            }
            assertThat(upstream.connections()).isZero();
            assertThat(recorder.recorded()).isEmpty();
        }
    }

    @Test
    void aRequestThatIsNotAChatRequestIsRecordedToAnswerAnyRequestWithWhereItWasSent() throws Exception {
        try (HostileServer upstream = HostileServer.answering(RecorderProxyTest::answerHi)) {
            record(upstream.uri("/base"));

            assertThat(RawHttp.post(recorder.baseUri(), "[\"not\", \"an object\"]").text()).isEqualTo("hi");

            Path file = recorder.recorded().get(0);
            assertThat(Recording.read(file).request()).isEqualTo(RecordedRequest.any());
            assertThat(Jsons.parseOrNull(Files.readString(file)).get("upstream").asText())
                    .isEqualTo("http://127.0.0.1:" + upstream.port() + "/base" + ChatApi.PATH);
        }
    }

    @Test
    void anUpstreamResetMidAnswerIsWarnedAboutOnceAndRecordedOnceWithATruncateAtTheLastByte() throws Exception {
        try (HostileServer upstream = HostileServer.answering((request, peer) -> {
                peer.chunkedHead(200, "text/event-stream").chunk("partial").pause(100);
                peer.reset();
            })) {
            record(upstream.baseUri());

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), REQUEST);

            assertThat(response.complete).isFalse();
            assertThat(response.text()).isEqualTo("partial");
            assertThat(recorder.recorded()).hasSize(1);
            assertThat(Recording.read(recorder.recorded().get(0)).response().faults()).containsExactly(Fault.truncate(7));
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w.text())
                    .contains("chat852 recorder: the upstream " + upstream.baseUri() + " failed after 7 byte(s) of its answer: "));
        }
    }

    @Test
    void anAnswerHeadNettyCannotReadGetsA502() throws Exception {
        try (HostileServer upstream = HostileServer.answering((request, peer) ->
                peer.raw("HTTP/1.1 200 OK\r\nX-Huge: " + "a".repeat(20_000) + "\r\n\r\n"))) {
            record(upstream.baseUri());

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), REQUEST);

            assertThat(response.status).isEqualTo(502);
            assertThat(response.text()).startsWith("chat852 recorder: the upstream " + upstream.baseUri()
                    + " failed before answering: ");
            assertThat(recorder.recorded()).isEmpty();
            assertThat(warnings()).hasSize(1);
        }
    }

    @Test
    void aClientThatLeavesMidAnswerIsWarnedAboutNothingIsRecordedAndTheUpstreamIsHungUpOn() throws Exception {
        CompletableFuture<Boolean> upstreamHungUpOn = new CompletableFuture<>();
        try (HostileServer upstream = HostileServer.answering((request, peer) -> {
                peer.chunkedHead(200, "text/event-stream").chunk("first");
                upstreamHungUpOn.complete(peer.awaitClose(Duration.ofSeconds(20)));
            })) {
            record(upstream.baseUri());
            byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
            try (Socket client = new Socket("127.0.0.1", recorder.port())) {
                OutputStream out = client.getOutputStream();
                out.write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                readUntil(client.getInputStream(), "first");
            }

            assertThat(upstreamHungUpOn.get(30, TimeUnit.SECONDS)).isTrue();
            assertThat(recorder.recorded()).isEmpty();
            try (var files = Files.list(folder)) {
                assertThat(files).isEmpty();
            }
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w.text())
                    .contains("chat852 recorder: the client left before the end of the answer; nothing recorded"));
        }
    }

    @Test
    void eachRecordingWrittenIsLoggedAtDebugWithItsChunksAndBytes() throws Exception {
        try (HostileServer upstream = HostileServer.answering((request, peer) ->
                peer.chunkedHead(200, "text/event-stream").chunk("hello").chunk(" you").endChunks())) {
            record(upstream.baseUri());

            RawHttp.post(recorder.baseUri(), REQUEST);

            Path file = recorder.recorded().get(0);
            assertThat(log.entries()).anySatisfy(e -> {
                assertThat(e.level()).isEqualTo(Level.FINE);
                assertThat(e.text()).contains("chat852 recorder wrote " + file + " (2 chunk(s), 9 byte(s))");
            });
        }
    }

    @Test
    void aRecordingThatCannotBeWrittenIsWarnedAboutAndTheClientStillGetsTheAnswer() throws Exception {
        Path notAFolder = Files.writeString(folder.resolve("a-file"), "in the way");
        try (HostileServer upstream = HostileServer.answering(RecorderProxyTest::answerHi)) {
            recorder = Recorder.builder().upstream(upstream.baseUri()).output(notAFolder).build().start();

            RawHttp.Response response = RawHttp.post(recorder.baseUri(), REQUEST);

            assertThat(response.text()).isEqualTo("hi");
            assertThat(response.complete).isTrue();
            assertThat(recorder.recorded()).isEmpty();
            assertThat(warnings()).singleElement().satisfies(w -> assertThat(w.text())
                    .contains("chat852 recorder: cannot write " + notAFolder.resolve("")).doesNotContain(TOKEN));
        }
    }

    @Test
    void aClientThatReadsNothingHoldsBackTheUpstreamAndGetsTheRestWhenItReadsAgain() throws Exception {
        byte[] piece = "0123456789abcdef".repeat(4096).getBytes(StandardCharsets.US_ASCII); // 64 KiB
        try (HostileServer upstream = HostileServer.start(peer -> {
                peer.chunkedHead(200, "text/event-stream");
                peer.repeatChunks(piece, 1L << 30); // until the recorder hangs up
            })) {
            recorder = Recorder.builder().upstream(upstream.baseUri()).output(folder).maxRecordingBytes(1L << 30)
                    .build().start();
            byte[] body = REQUEST.getBytes(StandardCharsets.UTF_8);
            try (Socket client = new Socket()) {
                client.setReceiveBufferSize(64 * 1024);
                client.setSoTimeout(20_000);
                client.connect(new java.net.InetSocketAddress("127.0.0.1", recorder.port()));
                OutputStream out = client.getOutputStream();
                out.write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                InputStream in = client.getInputStream();
                readUntil(in, "0123456789abcdef");

                long held = awaitSteady(upstream::bytesSent);
                assertThat(held).as("the upstream is held back by what the buffers on the way take").isLessThan(256L << 20);

                long toRead = held + (8L << 20); // more than every buffer on the way holds: the upstream must go on
                byte[] buffer = new byte[64 * 1024];
                for (long read = 0; read < toRead; ) {
                    int n = in.read(buffer);
                    assertThat(n).as("the answer goes on once the client reads").isPositive();
                    read += n;
                }
                assertThat(upstream.bytesSent()).isGreaterThan(held);
            }
        }
    }

    /** Waits until {@code value} has not changed for half a second, at most 20 s; returns it then. */
    private static long awaitSteady(java.util.function.LongSupplier value) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = value.getAsLong();
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            long now = value.getAsLong();
            if (now == last) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("still growing after 20 s: " + last + " bytes");
    }

    private static void readUntil(InputStream in, String text) throws java.io.IOException {
        StringBuilder seen = new StringBuilder();
        while (seen.indexOf(text) < 0) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("closed before " + text + " in " + seen);
            }
            seen.append((char) b);
        }
    }
}
