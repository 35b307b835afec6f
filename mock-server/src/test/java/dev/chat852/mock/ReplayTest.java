package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.protocol.ChatApi;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplayTest {
    private static final byte[] NI = "你".getBytes(StandardCharsets.UTF_8);

    /** A header split inside both markers, a character split in two, the trailing undefined. */
    private static final RecordedResponse SPLIT_EVERYWHERE = RecordedResponse.builder()
            .chunk(0, "sta")
            .chunk(5, "rt852{\"apiDate\":\"2026-11-25\"}en")
            .chunk(5, "d852")
            .chunk(10, new byte[] {NI[0], NI[1]})
            .chunk(10, new byte[] {NI[2], 'o', 'k'})
            .chunk(10, "undefined")
            .build();

    private MockServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private MockServer start(MockServer.Builder builder) {
        server = builder.build().start();
        return server;
    }

    @Test
    void replaysEveryRecordedChunkAsItsOwnHttpChunkWithTheExactBytes() throws Exception {
        start(MockServer.builder().speed(0).recording(Recording.of(SPLIT_EVERYWHERE)));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "t", true, "user", "hi"));

        assertThat(response.status).isEqualTo(200);
        assertThat(response.complete).isTrue();
        assertThat(response.headers).containsEntry("transfer-encoding", "chunked")
                .containsEntry("content-type", RecordedResponse.DEFAULT_CONTENT_TYPE);
        assertThat(response.chunks).hasSameSizeAs(SPLIT_EVERYWHERE.chunks());
        for (int i = 0; i < response.chunks.size(); i++) {
            assertThat(response.chunks.get(i)).as("chunk %d", i).isEqualTo(SPLIT_EVERYWHERE.chunks().get(i).bytes());
        }
    }

    @Test
    void keepsTheRecordedGapBetweenChunks() throws Exception {
        start(MockServer.builder().recording(Recording.of(RecordedResponse.builder()
                .chunk(0, "first").chunk(300, "second").chunk(0, "third").build())));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));

        assertThat(response.chunks).hasSize(3);
        assertThat(response.gapMillis(1)).isGreaterThanOrEqualTo(250);
        // Chunks are flushed on their own: the first did not wait for the second.
        assertThat(response.millisToChunk(0)).isLessThan(250);
    }

    @Test
    void gapsAreTimedFromTheStartSoTimerLatenessDoesNotAddUpAlongALongStream() throws Exception {
        RecordedResponse.Builder many = RecordedResponse.builder();
        for (int i = 0; i < 1000; i++) {
            many.chunk(1, "x"); // 1,000 gaps of 1 ms: each timer fires ~0.1 ms late on this VM
        }
        start(MockServer.builder().recording(Recording.of(many.build())));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));

        assertThat(response.chunks).hasSize(1000);
        long lastAfterHeaders = (response.arrivals.get(999) - response.headersNanos) / 1_000_000;
        // Timed chunk to chunk, the lateness added up to ~95 ms here; timed from the start it does not.
        assertThat(lastAfterHeaders).isBetween(1000L - 5, 1000L + 60);
    }

    @Test
    void waitsTheRecordedTimeBeforeTheStatusLine() throws Exception {
        start(MockServer.builder().recording(Recording.of(RecordedResponse.builder()
                .headersDelayMs(300).chunk(0, "x").build())));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));

        assertThat((response.headersNanos - response.sentNanos) / 1_000_000).isGreaterThanOrEqualTo(250);
    }

    @Test
    void speedTwoHalvesTheGaps() throws Exception {
        start(MockServer.builder().speed(2).recording(Recording.of(RecordedResponse.builder()
                .chunk(0, "a").chunk(600, "b").build())));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));

        assertThat(response.gapMillis(1)).isBetween(250L, 580L);
    }

    @Test
    void speedZeroDropsEveryDelay() throws Exception {
        start(MockServer.builder().speed(0).recording(Recording.of(RecordedResponse.builder()
                .headersDelayMs(5_000).chunk(0, "a").chunk(5_000, "b").chunk(5_000, "c").build())));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));

        assertThat(response.text()).isEqualTo("abc");
        assertThat(response.millisToChunk(2)).isLessThan(2_000);
    }

    @Test
    void rechunkingToSingleBytesSendsTheSameBytesOneAChunk() throws Exception {
        start(MockServer.builder().speed(0).rechunk(Rechunk.bytes()).recording(Recording.of(SPLIT_EVERYWHERE)));

        RawHttp.Response response = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));

        byte[] recorded = SPLIT_EVERYWHERE.body();
        assertThat(response.body()).isEqualTo(recorded);
        assertThat(response.chunks).hasSize(recorded.length).allSatisfy(c -> assertThat(c).hasSize(1));
    }

    @Test
    void seededRandomRechunkingIsTheSameOnEveryReplay() throws Exception {
        start(MockServer.builder().speed(0).rechunk(Rechunk.random(42, 4)).recording(Recording.of(SPLIT_EVERYWHERE)));
        String request = RawHttp.chat("gpt-4", null, true, "user", "hi");

        RawHttp.Response first = RawHttp.post(server.baseUri(), request);
        RawHttp.Response second = RawHttp.post(server.baseUri(), request);

        assertThat(first.body()).isEqualTo(SPLIT_EVERYWHERE.body());
        assertThat(first.chunks).allSatisfy(c -> assertThat(c.length).isBetween(1, 4));
        assertThat(second.chunks).extracting(c -> c.length)
                .containsExactlyElementsOf(first.chunks.stream().map(c -> c.length).toList());
    }

    @Test
    void keepsTheConnectionAliveForTheNextRequest() throws Exception {
        start(MockServer.builder().speed(0).recording(Recording.of(SPLIT_EVERYWHERE)));

        try (RawHttp http = new RawHttp(server.baseUri())) {
            Map<String, String> json = Map.of("Content-Type", "application/json");
            RawHttp.Response first = http.send("POST", ChatApi.PATH, json, RawHttp.chat("gpt-4", null, true, "user", "a"));
            RawHttp.Response second = http.send("POST", ChatApi.PATH, json, RawHttp.chat("gpt-4", null, true, "user", "b"));

            assertThat(first.complete).isTrue();
            assertThat(second.complete).isTrue();
            assertThat(second.body()).isEqualTo(SPLIT_EVERYWHERE.body());
        }
        assertThat(server.requests()).extracting(r -> r.messages().get(0).content()).containsExactly("a", "b");
    }

    @Test
    void answersPipelinedRequestsInOrder() throws Exception {
        start(MockServer.builder().speed(0)
                .recording(Recording.builder().request(RecordedRequest.builder().message("user", "a").build())
                        .response(RecordedResponse.builder().chunk(0, "A").chunk(50, "A").build()).build())
                .recording(Recording.builder().request(RecordedRequest.builder().message("user", "b").build())
                        .response(RecordedResponse.builder().chunk(0, "B").build()).build()));

        try (RawHttp http = new RawHttp(server.baseUri())) {
            // Both requests written before either answer is read.
            String a = RawHttp.chat("gpt-4", null, true, "user", "a");
            String b = RawHttp.chat("gpt-4", null, true, "user", "b");
            long sentA = http.write("POST", ChatApi.PATH, Map.of("Content-Type", "application/json"), a);
            long sentB = http.write("POST", ChatApi.PATH, Map.of("Content-Type", "application/json"), b);
            RawHttp.Response first = http.readResponse(sentA);
            RawHttp.Response second = http.readResponse(sentB);
            assertThat(first.text()).isEqualTo("AA");
            assertThat(second.text()).isEqualTo("B");
        }
    }

    @Test
    void replaysTheDemoRecordingsByteForByte() throws Exception {
        List<Recording> demo = Recording.demo();
        start(MockServer.builder().speed(0).recordings(demo));

        RawHttp.Response zh = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "t", true, "user", "你好"));
        RawHttp.Response en = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", "t", true, "user", "anything"));

        assertThat(zh.chunks).hasSameSizeAs(demo.get(0).response().chunks());
        assertThat(zh.body()).isEqualTo(demo.get(0).response().body());
        assertThat(en.body()).isEqualTo(demo.get(1).response().body());
        assertThat(server.requests()).extracting(r -> r.matched().orElseThrow()).containsExactly("demo-zh", "demo-en");
    }
}
