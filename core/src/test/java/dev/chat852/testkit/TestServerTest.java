package dev.chat852.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat852.testkit.KitResponse.Framing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The test server itself, checked with {@code java.net.http} and raw sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String BODY = "start852{\"a\":1}end852你好，世界 🙂undefined";

    private TestServer server;
    private HttpClient http;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpRequest post(String json) {
        return HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/light/chat/createChatCompletion"))
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    @Test
    void recordsTheRequestAndServesTheScriptedChunkedBody() throws Exception {
        server.enqueue(KitResponse.stream(BODY, 3));

        HttpResponse<String> response = http.send(post("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"你好\"}]}"),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
        assertThat(response.body()).isEqualTo(BODY);
        TestServer.Request request = server.takeRequest(WAIT);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/api/light/chat/createChatCompletion");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("accept")).isEqualTo("text/event-stream");
        assertThat(request.json().path("messages").path(0).path("content").asText()).isEqualTo("你好");
        assertThat(server.exchanges().get(0).bodyBytesWritten()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8).length);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Framing.class)
    void servesABodyWrittenByteByByteInEveryFraming(Framing framing) throws Exception {
        server.enqueue(KitResponse.builder().framing(framing).byteByByte(Duration.ZERO).chunks(BODY, 4, Duration.ZERO)
                .build());

        HttpResponse<String> response = http.send(post("{}"), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));

        assertThat(response.body()).isEqualTo(BODY);
        if (framing == Framing.CONTENT_LENGTH) {
            assertThat(response.headers().firstValueAsLong("content-length"))
                    .hasValue(BODY.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void keepsTheConnectionAliveForTheNextRequest() throws Exception {
        server.enqueue(KitResponse.stream("one", 8)).enqueue(KitResponse.json(200, "{\"two\":2}"));

        String first = http.send(post("{}"), HttpResponse.BodyHandlers.ofString()).body();
        String second = http.send(post("{}"), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(first).isEqualTo("one");
        assertThat(second).isEqualTo("{\"two\":2}");
        assertThat(server.acceptedConnections()).isEqualTo(1);
        assertThat(server.requests()).extracting(TestServer.Request::sequenceOnConnection).containsExactly(1, 2);
    }

    @Test
    void flushesEachChunkBeforeTheNextStep() throws Exception {
        KitResponse.Gate gate = new KitResponse.Gate();
        server.enqueue(KitResponse.builder().chunk("first").awaitGate(gate).chunk("second").build());

        HttpResponse<InputStream> response = http.send(post("{}"), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            byte[] first = in.readNBytes(5); // arrives although the server is still waiting at the gate
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("first");
            assertThat(gate.isOpen()).isFalse();
            gate.open();
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("second");
        }
    }

    @Test
    void resetsTheConnectionAfterTheGivenNumberOfBodyBytes() throws Exception {
        server.enqueue(KitResponse.builder().framing(Framing.CONTENT_LENGTH).chunk("0123456789").chunk("abcdefghij")
                .resetAfterBodyBytes(13).build());

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            sendRawRequest(socket);
            InputStream in = socket.getInputStream();
            byte[] got = new byte[4096];
            int n = 0;
            IOException failure = null;
            try {
                int r;
                while ((r = in.read(got, n, got.length - n)) > 0) {
                    n += r;
                }
            } catch (IOException e) {
                failure = e;
            }
            String received = new String(got, 0, n, StandardCharsets.ISO_8859_1);
            assertThat(received).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 20\r\n");
            assertThat(received.substring(received.indexOf("\r\n\r\n") + 4)).isEqualTo("0123456789abc");
            assertThat(failure).as("a reset, not a clean end").isNotNull().hasMessageContaining("reset");
        }
        Poll.until(WAIT, "the server to close the connection", () -> server.openConnections() == 0);
        assertThat(server.connections().get(0).closedByClient()).isFalse();
    }

    @Test
    void seesTheClientCloseTheConnectionDuringAStall() throws Exception {
        server.enqueue(KitResponse.builder().chunk("partial").stallForever().build());

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            sendRawRequest(socket);
            readUntil(socket.getInputStream(), "partial");
            assertThat(server.openConnections()).isEqualTo(1);
        }

        Poll.until(WAIT, "the server to see the client's close", () -> server.openConnections() == 0,
                server::toString);
        assertThat(server.connections().get(0).closedByClient()).isTrue();
        assertThat(server.exchanges().get(0).responseComplete()).isFalse();
    }

    @Test
    void seesTheClientCloseTheConnectionBeforeTheDelayedStatusLine() throws Exception {
        server.enqueue(KitResponse.builder().stallBeforeStatus().build());

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            sendRawRequest(socket);
            server.takeRequest(WAIT);
        }

        Poll.until(WAIT, "the server to see the client's close", () -> server.openConnections() == 0);
        assertThat(server.connections().get(0).closedByClient()).isTrue();
    }

    @Test
    void delaysTheStatusLine() throws Exception {
        server.enqueue(KitResponse.builder().delayBeforeStatus(Duration.ofMillis(300)).chunk("late").build());

        long start = System.nanoTime();
        HttpResponse<String> response = http.send(post("{}"), HttpResponse.BodyHandlers.ofString());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(response.body()).isEqualTo("late");
    }

    @Test
    void writesTheScriptedHeadAsGivenEvenAWrongContentLength() throws Exception {
        server.enqueue(KitResponse.builder().status(503).reason("Busy Here").framing(Framing.CONTENT_LENGTH)
                .header("Content-Length", "99").chunk("short").closeAfter().build());

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            sendRawRequest(socket);
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(received).startsWith("HTTP/1.1 503 Busy Here\r\n")
                    .contains("Content-Length: 99\r\n", "Connection: close\r\n").endsWith("\r\n\r\nshort");
            assertThat(received.split("Content-Length", -1)).as("no length of the server's own").hasSize(2);
        }
    }

    @Test
    void closingMidChunkedBodyIsAPrematureEndForTheClient() throws Exception {
        server.enqueue(KitResponse.builder().chunk("partial").closeConnection().build());

        assertThatThrownBy(() -> http.send(post("{}"), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void answersUnscriptedRequestsWith500AndListsThem() throws Exception {
        HttpResponse<String> response = http.send(post("{}"), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("no response scripted");
        assertThat(server.unmatchedRequests()).hasSize(1);
    }

    @Test
    void dispatcherAnswersEachRequestFromItsBody() throws Exception {
        server.dispatcher(r -> KitResponse.stream("echo:" + r.json().path("q").asText(), 2));

        assertThat(http.send(post("{\"q\":\"一\"}"), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("echo:一");
        assertThat(http.send(post("{\"q\":\"二\"}"), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("echo:二");
    }

    @Test
    void writesBlockWhileTheClientReadsNothing() throws Exception {
        byte[] unit = new byte[16 * 1024];
        Arrays.fill(unit, (byte) 'x');
        long total = 4096L * unit.length; // 64 MiB, generated
        server.enqueue(KitResponse.builder().repeat(unit, 4096, Duration.ZERO).build());

        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setReceiveBufferSize(64 * 1024);
            sendRawRequest(socket);
            Poll.until(WAIT, "the request", () -> !server.exchanges().isEmpty());
            TestServer.Exchange exchange = server.exchanges().get(0);
            long stalledAt = TransportTestKit.awaitStalled(exchange, Duration.ofMillis(500), Duration.ofSeconds(20));
            assertThat(stalledAt).isLessThan(total / 4);
        }
        Poll.until(WAIT, "the server to see the client's close", () -> server.openConnections() == 0);
    }

    @Test
    void closeStopsEveryServerThread() throws Exception {
        TestServer other = new TestServer();
        String prefix = "testserver-" + other.port() + "-";
        other.enqueue(KitResponse.builder().chunk("x").stallForever().build());
        try (Socket socket = new Socket("127.0.0.1", other.port())) {
            sendRawRequest(socket);
            readUntil(socket.getInputStream(), "x");
            assertThat(threadsNamed(prefix)).isGreaterThanOrEqualTo(2);

            other.close();

            Poll.until(WAIT, "the server's threads to end", () -> threadsNamed(prefix) == 0);
            assertThat(other.openConnections()).isZero();
        }
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix)).count();
    }

    private static void sendRawRequest(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /x HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void readUntil(InputStream in, String marker) throws IOException {
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains(marker)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("EOF before " + marker + ": " + seen);
            }
            seen.append((char) b);
        }
    }
}
