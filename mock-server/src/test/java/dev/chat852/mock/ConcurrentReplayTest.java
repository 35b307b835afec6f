package dev.chat852.mock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.protocol.ChatApi;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentReplayTest {
    private static final int STREAMS = 1_000;
    private static final int KINDS = 10;

    private static Recording kind(int k) {
        RecordedResponse.Builder r = RecordedResponse.builder().chunk(0, "start852{\"kind\":" + k + "}end852");
        for (int c = 0; c < 5; c++) {
            r.chunk(60, "第" + c + "块/" + k + " ");
        }
        return Recording.builder().name("kind-" + k)
                .request(RecordedRequest.builder().message("user", "kind " + k).build())
                .response(r.chunk(20, "undefined").build()).build();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aThousandConcurrentReplaysAllCompleteWithTheirExactBytes() throws Exception {
        List<Recording> kinds = new ArrayList<>();
        for (int k = 0; k < KINDS; k++) {
            kinds.add(kind(k));
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try (MockServer server = MockServer.builder().recordings(kinds).build().start()) {
            long start = System.nanoTime();
            List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                HttpRequest request = HttpRequest.newBuilder(server.endpoint())
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(RawHttp.chat("gpt-4", "t", true, "user", "kind " + i % KINDS)))
                        .build();
                responses.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()));
            }
            CompletableFuture.allOf(responses.toArray(new CompletableFuture<?>[0])).get(80, TimeUnit.SECONDS);
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;

            for (int i = 0; i < STREAMS; i++) {
                HttpResponse<byte[]> response = responses.get(i).join();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).as("stream %d", i).isEqualTo(kinds.get(i % KINDS).response().body());
            }
            // Each stream takes 320 ms of recorded time: one after another would take over five minutes.
            assertThat(elapsedMs).isLessThan(60_000);
            assertThat(server.requests()).hasSize(STREAMS);
            long serverThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("chat852-mock")).count();
            assertThat(serverThreads).as("timers, not a thread per stream")
                    .isLessThanOrEqualTo(2L * Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aSlowReaderGetsEveryByteOfALargeAnswer() throws Exception {
        RecordedResponse.Builder big = RecordedResponse.builder();
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < 128; i++) {
            java.util.Arrays.fill(block, (byte) ('a' + i % 26));
            big.chunk(0, block);
        }
        RecordedResponse answer = big.build();
        try (MockServer server = MockServer.builder().recording(Recording.of(answer)).build().start();
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4 * 1024);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            byte[] body = RawHttp.chat("gpt-4", null, true, "user", "big").getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);

            // Read in small bites: the server keeps hitting a full socket buffer.
            InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            byte[] bite = new byte[512];
            for (int n; (n = in.read(bite)) >= 0; ) {
                all.write(bite, 0, n);
            }
            String wire = all.toString(StandardCharsets.ISO_8859_1);
            String expected = new String(answer.body(), StandardCharsets.ISO_8859_1);
            // Strip the chunked framing: "10000\r\n" before each 64 KiB chunk.
            String unframed = wire.substring(wire.indexOf("\r\n\r\n") + 4).replace("10000\r\n", "").replace("\r\n", "");
            assertThat(unframed).hasSize(expected.length() + 1).isEqualTo(expected + "0");
        }
    }
}
