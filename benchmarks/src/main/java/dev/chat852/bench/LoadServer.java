package dev.chat852.bench;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.common.ConsoleNotifier;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import dev.chat852.mock.Chunk;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;

/**
 * The server {@link MockLoad} loads, in a JVM of its own ({@link ServerProcess}): the project's mock, the
 * raw sleeping-thread server, WireMock or OkHttp's MockWebServer, each replaying {@link #recording} with
 * its own means. Prints {@code port N}, serves until its stdin ends.
 *
 * <pre>LoadServer SERVER HEAD_MS TEXT_CHUNKS GAP_MS SPEED THREADS</pre>
 *
 * <p>The recording is cut into equal chunks because that is all WireMock and MockWebServer can replay
 * chunk for chunk: WireMock's {@code chunkedDribbleDelay(n, total)} cuts a body into {@code n} pieces of
 * {@code length / n} bytes (the remainder to the last) and sleeps {@code total / n} ms before each;
 * MockWebServer's {@code throttleBody(b, period)} sleeps after every {@code b} bytes of the (chunk-encoded)
 * body. With equal chunks both deliver exactly the recorded chunks, so the client checks all four servers
 * the same way, chunk for chunk.
 */
public final class LoadServer {
    static final List<String> SERVERS = List.of("mock", "raw", "wiremock", "mockwebserver");

    private LoadServer() {
    }

    /**
     * The load test's recording: the status line {@code headMs} after the request, then {@code textChunks
     * + 1} chunks of equal size, the first with the status line, each next one {@code gapMs} after the one
     * before; about 96 bytes of text per chunk after the header block, half Chinese (cuts may split
     * characters).
     */
    static Recording recording(long headMs, int textChunks, long gapMs) {
        int n = textChunks + 1;
        int wanted = BenchRecordings.headerBlockBytes() + 96 * textChunks + ChatBodyGenerator.TRAILER.length();
        int size = (wanted + n - 1) / n;
        byte[] body = ChatBodyGenerator.generate(BenchRecordings.SEED, size * n).bytes();
        RecordedResponse.Builder r = RecordedResponse.builder().headersDelayMs(headMs);
        for (int i = 0; i < n; i++) {
            r.chunk(Chunk.of(i == 0 ? 0 : gapMs, Arrays.copyOfRange(body, i * size, (i + 1) * size)));
        }
        return Recording.builder().name("load").request(RecordedRequest.any()).response(r.build()).build();
    }

    public static void main(String[] args) throws Exception {
        Logger.getLogger("").setLevel(Level.WARNING);
        String server = args[0];
        long headMs = Long.parseLong(args[1]);
        int textChunks = Integer.parseInt(args[2]);
        long gapMs = Long.parseLong(args[3]);
        double speed = Double.parseDouble(args[4]);
        int threads = Integer.parseInt(args[5]);
        Recording recording = recording(headMs, textChunks, gapMs);
        try (AutoCloseable running = start(server, recording, speed, threads)) {
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the parent closes our stdin (or dies)
            }
        }
    }

    /** Starts the server and prints its port; what it returns stops it. */
    private static AutoCloseable start(String server, Recording recording, double speed, int threads) throws IOException {
        if (!server.equals("mock") && !server.equals("raw") && speed != 1) {
            throw new IllegalArgumentException(server + " replays at speed 1 only");
        }
        switch (server) {
            case "mock": {
                MockServer mock = MockServer.builder().speed(speed).requestLogLimit(0).recording(recording).build().start();
                System.out.println("port " + mock.port());
                return mock;
            }
            case "raw": {
                RawPacedServer raw = RawPacedServer.start(recording, speed);
                System.out.println("port " + raw.port());
                return raw;
            }
            case "wiremock":
                return wireMock(recording, threads);
            case "mockwebserver":
                return mockWebServer(recording);
            default:
                throw new IllegalArgumentException("server must be one of " + SERVERS + ", was " + server);
        }
    }

    /**
     * WireMock: one stub for every request, {@code fixedDelay} plus a chunked dribble of the recording's
     * chunk count over as many gaps. WireMock sleeps one gap before its first piece too, and its status line
     * goes out with that piece, so the fixed delay is the recorded one minus one gap. A Jetty thread serves
     * each replay for its whole length (it sleeps between pieces): {@code threads} must cover the
     * connections, or replays wait for a thread.
     */
    private static AutoCloseable wireMock(Recording recording, int threads) {
        RecordedResponse r = recording.response();
        int n = r.chunks().size();
        long gap = r.chunks().get(n - 1).delayMs();
        if (r.headersDelayMs() < gap) {
            throw new IllegalArgumentException("wiremock needs the head delay at least one gap");
        }
        WireMockServer wm = new WireMockServer(WireMockConfiguration.options()
                .bindAddress(InetAddress.getLoopbackAddress().getHostAddress())
                .dynamicPort()
                .containerThreads(threads)
                .jettyAcceptQueueSize(4096)
                .disableRequestJournal()
                .gzipDisabled(true)
                .notifier(new ConsoleNotifier(false)));
        wm.start();
        wm.stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.aResponse()
                .withStatus(200)
                .withHeader("Content-Type", r.contentType())
                .withBody(r.body())
                .withFixedDelay((int) (r.headersDelayMs() - gap))
                .withChunkedDribbleDelay(n, (int) (n * gap))));
        System.out.println("port " + wm.port());
        return wm::stop;
    }

    /**
     * MockWebServer: the body chunk-encoded in chunks of the recording's size, throttled to one encoded
     * chunk per gap, after {@code headersDelay}. A fresh response per request (its body is a buffer read
     * as it is written). MockWebServer serves each connection on a thread of its own.
     */
    private static AutoCloseable mockWebServer(Recording recording) throws IOException {
        RecordedResponse r = recording.response();
        List<Chunk> chunks = r.chunks();
        int size = chunks.get(0).size();
        long gap = chunks.get(chunks.size() - 1).delayMs();
        long encoded = Integer.toHexString(size).length() + 2 + size + 2; // size line, data, CRLF
        MockWebServer server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
                return new MockResponse.Builder()
                        .code(200)
                        .addHeader("Content-Type", r.contentType())
                        .chunkedBody(new Buffer().write(r.body()), size)
                        .headersDelay(r.headersDelayMs(), TimeUnit.MILLISECONDS)
                        .throttleBody(encoded, gap, TimeUnit.MILLISECONDS)
                        .build();
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        System.out.println("port " + server.getPort());
        return server::close;
    }
}
