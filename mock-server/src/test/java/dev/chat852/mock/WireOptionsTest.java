package dev.chat852.mock;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat852.protocol.ChatApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A MockResponse's wire options, seen on the wire: framing, reason, closing, gates, one write per byte, SO_SNDBUF. */
class WireOptionsTest {
    private static final String BODY = "start852{\"a\":1}end852你好undefined";
    private static final RecordedResponse STREAM = RecordedResponse.builder()
            .chunk(0, "start852{\"a\":1}end852").chunk(0, "你好").chunk(0, "undefined").build();

    private final AtomicReference<MockResponse> next = new AtomicReference<>();
    private final MockServer server = MockServer.builder().speed(0).dispatcher(request -> next.get()).build().start();

    @AfterEach
    void close() {
        server.close();
    }

    private RawHttp.Response answer(MockResponse response) throws Exception {
        next.set(response);
        return RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MockResponse.Framing.class)
    void eachFramingDelimitsTheSameBody(MockResponse.Framing framing) throws Exception {
        RawHttp.Response r = answer(MockResponse.builder(STREAM).framing(framing).build());

        assertThat(r.complete).isTrue();
        assertThat(r.text()).isEqualTo(BODY);
        switch (framing) {
            case CHUNKED:
                assertThat(r.headers).containsEntry("transfer-encoding", "chunked").doesNotContainKey("content-length");
                assertThat(r.chunks).hasSize(3);
                assertThat(r.headers).containsEntry("connection", "keep-alive");
                break;
            case CONTENT_LENGTH:
                assertThat(r.headers).containsEntry("content-length", String.valueOf(BODY.getBytes(UTF_8).length))
                        .doesNotContainKey("transfer-encoding");
                break;
            default:
                assertThat(r.headers).doesNotContainKeys("content-length", "transfer-encoding")
                        .containsEntry("connection", "close");
        }
    }

    @Test
    void aContentLengthCountsTheWholeBodyWhenATruncateSendsLess() throws Exception {
        RawHttp.Response r = answer(MockResponse.builder(STREAM.newBuilder().fault(Fault.truncate(10)).build())
                .framing(MockResponse.Framing.CONTENT_LENGTH).build());

        assertThat(r.headers).containsEntry("content-length", String.valueOf(BODY.getBytes(UTF_8).length));
        assertThat(r.complete).isFalse();
        assertThat(r.body()).hasSize(10);
    }

    @Test
    void aCloseDelimitedBodyClosesTheConnectionAfterIt() throws Exception {
        next.set(MockResponse.builder(STREAM).framing(MockResponse.Framing.CLOSE).build());
        try (RawHttp http = new RawHttp(server.baseUri())) {
            RawHttp.Response r = http.send("POST", ChatApi.PATH, Map.of(), RawHttp.chat("m", null, true, "user", "x"));
            assertThat(r.text()).isEqualTo(BODY);
            assertThat(http.closedByServer()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.connections())
                .singleElement().satisfies(c -> assertThat(c.closedByClient()).isFalse()));
    }

    @Test
    void aReasonPhraseReplacesTheUsualOne() throws Exception {
        assertThat(answer(MockResponse.builder(STREAM).reason("Fine Thanks").build()).reason).isEqualTo("Fine Thanks");
        assertThat(answer(MockResponse.of(STREAM)).reason).isEqualTo("OK");
        assertThatThrownBy(() -> MockResponse.builder(STREAM).reason("a\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000D");
        assertThatThrownBy(() -> MockResponse.builder(STREAM).reason("你好")).hasMessageContaining("U+4F60");
    }

    @Test
    void closeConnectionEndsAKeptAliveConnectionAfterTheResponse() throws Exception {
        next.set(MockResponse.builder(STREAM).closeConnection().build());
        try (RawHttp http = new RawHttp(server.baseUri())) {
            RawHttp.Response r = http.send("POST", ChatApi.PATH, Map.of(), RawHttp.chat("m", null, true, "user", "x"));
            assertThat(r.headers).containsEntry("connection", "close");
            assertThat(r.text()).isEqualTo(BODY);
            assertThat(http.closedByServer()).isTrue();
        }
    }

    @Test
    void aGateHoldsTheBodyAtItsOffsetUntilOpened() throws Exception {
        Gate gate = new Gate();
        int header = "start852{\"a\":1}end852".length();
        next.set(MockResponse.builder(STREAM).hold(header, gate).build());
        try (RawHttp http = new RawHttp(server.baseUri())) {
            long sent = http.write("POST", ChatApi.PATH, Map.of(), RawHttp.chat("m", null, true, "user", "x"));
            CompletableFuture<RawHttp.Response> response = CompletableFuture.supplyAsync(() -> http.readResponse(sent));
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.connections().isEmpty()
                    && server.connections().get(0).bodyBytesSent() == header);
            Thread.sleep(300);
            assertThat(server.connections().get(0).bodyBytesSent()).as("held at the gate").isEqualTo(header);
            assertThat(response).isNotDone();

            long opened = System.nanoTime();
            gate.open();

            RawHttp.Response r = response.get(10, TimeUnit.SECONDS);
            assertThat(r.text()).isEqualTo(BODY);
            assertThat(r.arrivals.get(1)).as("the rest arrived after the gate opened").isGreaterThanOrEqualTo(opened);
        }
    }

    @Test
    void aGateOnTheHeadHoldsTheStatusLineAndAClientThatLeavesMeanwhileIsSeen() throws Exception {
        Gate gate = new Gate();
        next.set(MockResponse.builder(STREAM).hold(gate).build());
        try (Socket socket = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
            byte[] body = RawHttp.chat("m", null, true, "user", "x").getBytes(UTF_8);
            socket.getOutputStream().write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.setSoTimeout(300);
            assertThat(readQuietly(socket.getInputStream())).as("nothing before the gate opens").isEmpty();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.connections()).singleElement()
                .satisfies(c -> assertThat(c.closedByClient()).isTrue()));
        gate.open(); // too late: nobody to answer
        assertThat(server.connections().get(0).bodyBytesSent()).isZero();
    }

    @Test
    void byteByByteWritesEveryByteOfTheResponseOnItsOwn() throws Exception {
        Duration pause = Duration.ofMillis(5);
        next.set(MockResponse.builder(STREAM).byteByByte(pause).build());
        try (Socket socket = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
            byte[] body = RawHttp.chat("m", null, true, "user", "x").getBytes(UTF_8);
            long start = System.nanoTime();
            socket.getOutputStream().write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(ISO_8859_1));
            socket.getOutputStream().write(body);
            socket.setSoTimeout(10_000);
            ToEnd read = ToEnd.of(socket.getInputStream());
            ByteArrayOutputStream all = read.bytes;
            int reads = read.reads;
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            String wire = all.toString(UTF_8);
            assertThat(wire).startsWith("HTTP/1.1 200 OK\r\n").contains("\r\n\r\n").endsWith("0\r\n\r\n");
            int bytes = all.size();
            assertThat(took).as("a pause before each of %d bytes", bytes).isGreaterThanOrEqualTo(pause.multipliedBy(bytes - 1));
            assertThat(reads).as("reads of %d bytes sent one by one", bytes).isGreaterThan(bytes / 2);
        }
    }

    @Test
    void byteByBytePacesOnlyItsOwnResponseNotTheNextOneOnTheConnection() throws Exception {
        next.set(MockResponse.builder(STREAM).byteByByte(Duration.ofMillis(1)).build());
        try (Socket socket = new Socket(server.baseUri().getHost(), server.baseUri().getPort())) {
            socket.setSoTimeout(10_000);
            byte[] body = RawHttp.chat("m", null, true, "user", "x").getBytes(UTF_8);
            byte[] head = ("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(ISO_8859_1);
            socket.getOutputStream().write(head);
            socket.getOutputStream().write(body);
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream paced = new ByteArrayOutputStream();
            while (!paced.toString(ISO_8859_1).endsWith("0\r\n\r\n")) {
                paced.write(in.read());
            }
            next.set(MockResponse.of(STREAM));
            socket.getOutputStream().write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(ISO_8859_1));
            socket.getOutputStream().write(body);
            ToEnd read = ToEnd.of(in);
            ByteArrayOutputStream all = read.bytes;
            int reads = read.reads;

            assertThat(all.toString(UTF_8)).startsWith("HTTP/1.1 200 OK\r\n").contains(BODY.substring(0, 8)).endsWith("0\r\n\r\n");
            assertThat(reads).as("reads of the next response's %d bytes, written a segment at a time", all.size())
                    .isLessThan(all.size() / 4);
        }
    }

    @Test
    void aSmallSendBufferMakesTheServersWritesStallWhenTheClientStopsReading() throws Exception {
        byte[] unit = new byte[16 * 1024];
        java.util.Arrays.fill(unit, (byte) 'x');
        RecordedResponse.Builder big = RecordedResponse.builder();
        Chunk shared = Chunk.of(0, unit);
        for (int i = 0; i < 512; i++) { // 8 MiB
            big.chunk(shared);
        }
        next.set(MockResponse.builder(big.build()).sendBufferSize(64 * 1024).build());
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new java.net.InetSocketAddress(server.baseUri().getHost(), server.baseUri().getPort()));
            byte[] body = RawHttp.chat("m", null, true, "user", "x").getBytes(UTF_8);
            socket.getOutputStream().write(("POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(ISO_8859_1));
            socket.getOutputStream().write(body);
            await().atMost(Duration.ofSeconds(10)).until(() -> !server.connections().isEmpty()
                    && server.connections().get(0).bodyBytesSent() > 0);
            MockConnection connection = server.connections().get(0);
            long stalled = awaitNoProgress(connection);

            assertThat(stalled).as("body bytes sent to a client that reads nothing").isLessThan(2L << 20);
            socket.getInputStream().readNBytes(1 << 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> connection.bodyBytesSent() > stalled);
        }
    }

    /** The bytes sent once they stop growing for half a second; fails if they keep growing for 20 s. */
    private static long awaitNoProgress(MockConnection connection) throws InterruptedException {
        long last = -1;
        for (int i = 0; i < 40; i++) {
            long now = connection.bodyBytesSent();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError("the server's writes kept progressing: " + last + " body bytes sent");
    }

    private static byte[] readQuietly(InputStream in) throws java.io.IOException {
        try {
            return in.readNBytes(1);
        } catch (java.net.SocketTimeoutException e) {
            return new byte[0];
        }
    }

    /** What a socket gave until the server closed it, and in how many reads. */
    private static final class ToEnd {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int reads;

        static ToEnd of(InputStream in) throws IOException {
            ToEnd read = new ToEnd();
            byte[] buf = new byte[4096];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                read.bytes.write(buf, 0, n);
                read.reads++;
            }
            return read;
        }
    }
}
