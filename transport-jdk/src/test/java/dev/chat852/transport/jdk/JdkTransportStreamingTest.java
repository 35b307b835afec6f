package dev.chat852.transport.jdk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.spi.Exchange;
import dev.chat852.testkit.HostileServer;
import dev.chat852.testkit.Peer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What reaches the handler, and when: headers, body reads under demand, and the end of the body. */
class JdkTransportStreamingTest {
    private final HostileServer server = HostileServer.interactive();
    private final JdkTransport transport = JdkTransport.create();
    private final Recorder recorder = new Recorder();

    JdkTransportStreamingTest() throws IOException {
    }

    @AfterEach
    void tearDown() throws Exception {
        transport.close();
        server.close();
        assertThat(recorder.violations()).isEmpty();
    }

    @Test
    void sendsAnHttp11PostWithTheHeadersAndBody() throws Exception {
        transport.execute(TestRequests.post(server.uri("/api/chat")), recorder);

        Peer.Request request = server.accept().readRequest();

        assertThat(request.line()).isEqualTo("POST /api/chat HTTP/1.1");
        assertThat(request.headers()).containsEntry("content-type", "application/json")
                .containsEntry("accept", "text/event-stream")
                .containsEntry("content-length", String.valueOf(TestRequests.BODY.length()));
        assertThat(request.bodyText()).isEqualTo(TestRequests.BODY);
    }

    @Test
    void deliversStatusAndLowerCasedHeadersAsSoonAsTheyArriveWithoutDemand() throws Exception {
        transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();

        conn.head(200, "Content-Type: text/event-stream", "X-Mixed-CASE: one", "x-mixed-case: two",
                "Transfer-Encoding: chunked");

        assertThat(recorder.awaitStatus()).isEqualTo(200);
        assertThat(recorder.headers).containsEntry("content-type", List.of("text/event-stream"))
                .containsEntry("x-mixed-case", List.of("one", "two"));
        assertThat(recorder.headers.keySet()).allSatisfy(name -> assertThat(name).isLowerCase());
        assertThat(recorder.ended()).isFalse();
    }

    @Test
    void deliversNoBodyUntilDemandArrives() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("hello").endChunks();
        recorder.awaitStatus();

        Recorder.quietPeriod();
        assertThat(recorder.chunkCount()).isZero();
        assertThat(recorder.ended()).isFalse();

        exchange.request(1);
        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.chunkStrings()).containsExactly("hello");
    }

    @Test
    void deliversOneReadPerUnitOfDemandAndEachChunkAsSent() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream");
        List<String> sent = List.of("start852{\"a\":1}end852", "你", "好", "世界", "undefined");

        for (int i = 0; i < sent.size(); i++) {
            // each chunk is on the wire, one network read, before the demand for it exists
            conn.chunk(sent.get(i));
            Recorder.quietPeriod();
            assertThat(recorder.chunkCount()).as("onBody calls with %d reads allowed", i).isEqualTo(i);

            exchange.request(1);
            recorder.awaitChunks(i + 1);
            assertThat(recorder.chunkStrings().get(i)).isEqualTo(sent.get(i));
        }
        conn.endChunks();
        exchange.request(1); // the end of the body is found by reading it, so it too waits for demand

        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.chunkStrings()).containsExactlyElementsOf(sent);
    }

    @Test
    void deliversReadsTheJdkBufferedAheadOnlyWhenAsked() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream");
        for (int i = 0; i < 5; i++) {
            conn.pause(20).chunk("c" + i);
        }
        conn.endChunks();
        Recorder.quietPeriod();
        assertThat(recorder.chunkCount()).isZero();

        exchange.request(1); // one read: whatever the JDK has buffered, as one or more onBody calls
        recorder.awaitChunks(1);
        Recorder.quietPeriod();
        int afterOneRead = recorder.chunkCount();
        if (!recorder.ended()) {
            exchange.request(Long.MAX_VALUE);
        }

        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.bodyString()).isEqualTo("c0c1c2c3c4");
        assertThat(afterOneRead).isBetween(1, 5);
    }

    @Test
    void remembersDemandRequestedBeforeTheResponseExists() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(2);
        exchange.request(Long.MAX_VALUE);
        exchange.request(Long.MAX_VALUE); // adds up without overflow

        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("a").pause(20).chunk("b").pause(20).chunk("c").endChunks();

        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.bodyString()).isEqualTo("abc");
    }

    @Test
    void chunkFramingArrivingAloneDoesNotUseUpDemand() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream");
        exchange.request(1);

        // the size line, the data and the line end each in their own segment
        conn.pause(50).raw("5\r\n").pause(50).raw("hello").pause(50).raw("\r\n").pause(50).raw("0\r\n").pause(50)
                .raw("\r\n");

        recorder.awaitChunks(1);
        assertThat(recorder.bodyString()).isEqualTo("hello");
        exchange.request(1);
        assertThat(recorder.awaitEnd()).isNull();
    }

    @Test
    void streamsABodyDelimitedByContentLength() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        byte[] body = "start852{}end852你好undefined".getBytes(StandardCharsets.UTF_8);
        conn.head(200, "Content-Type: text/plain", "Content-Length: " + body.length);
        for (byte b : body) {
            conn.raw(new byte[] {b});
        }

        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.bodyString()).isEqualTo("start852{}end852你好undefined");
    }

    @Test
    void deliversAnHttp500WithItsHeadersAndBody() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        String body = "{\"code\":500,\"message\":\"boom\"}";
        conn.head(500, "Content-Type: application/json", "Content-Length: " + body.length()).raw(body);

        assertThat(recorder.awaitStatus()).isEqualTo(500);
        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.headers).containsEntry("content-type", List.of("application/json"));
        assertThat(recorder.bodyString()).isEqualTo(body);
    }

    @Test
    void aBodyCutShortByTheServerIsAnErrorNotACompletion() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.head(200, "Content-Type: text/plain", "Content-Length: 100").raw("only ten b");
        recorder.awaitChunks(1);
        conn.close();

        assertThat(recorder.awaitEnd()).isInstanceOf(IOException.class);
        assertThat(recorder.completed()).isFalse();
    }

    @Test
    void aConnectionResetMidBodyIsAnError() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        exchange.request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream").chunk("partial");
        recorder.awaitChunks(1);
        conn.reset();

        assertThat(recorder.awaitEnd()).isInstanceOf(IOException.class);
        assertThat(recorder.completed()).isFalse();
    }

    @Test
    void reusesTheConnectionAfterABodyReadToItsEnd() throws Exception {
        Recorder first = new Recorder();
        transport.execute(TestRequests.post(server.uri("/")), first).request(Long.MAX_VALUE);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/plain").chunk("one").endChunks();
        assertThat(first.awaitEnd()).isNull();

        transport.execute(TestRequests.post(server.uri("/")), recorder).request(Long.MAX_VALUE);
        conn.readRequest(); // the same connection, kept alive
        conn.chunkedHead(200, "text/plain").chunk("two").endChunks();

        assertThat(recorder.awaitEnd()).isNull();
        assertThat(recorder.bodyString()).isEqualTo("two");
        assertThat(server.acceptNow()).isNull();
        assertThat(first.violations()).isEmpty();
    }

    @Test
    void handlerCallsNeverOverlapWhileManyThreadsRequest() throws Exception {
        Exchange exchange = transport.execute(TestRequests.post(server.uri("/")), recorder);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream");
        int chunks = 200;
        ExecutorService requesters = Executors.newFixedThreadPool(4);
        List<String> sent = new ArrayList<>();
        try {
            for (int i = 0; i < chunks; i++) {
                requesters.execute(() -> exchange.request(1));
                String s = "chunk-" + i + ";";
                sent.add(s);
                conn.chunk(s);
                if (i % 20 == 0) {
                    conn.pause(5);
                }
            }
            conn.endChunks();
            exchange.request(Long.MAX_VALUE);

            assertThat(recorder.awaitEnd()).isNull();
            assertThat(recorder.bodyString()).isEqualTo(String.join("", sent));
        } finally {
            requesters.shutdown();
            assertThat(requesters.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aHandlerMayAskForMoreFromInsideOnBody() throws Exception {
        Exchange[] exchange = new Exchange[1];
        Recorder pulling = new Recorder() {
            @Override
            void body(byte[] chunk) {
                exchange[0].request(1);
            }
        };
        exchange[0] = transport.execute(TestRequests.post(server.uri("/")), pulling);
        exchange[0].request(1);
        Peer conn = server.accept();
        conn.readRequest();
        conn.chunkedHead(200, "text/event-stream");
        for (int i = 0; i < 20; i++) {
            conn.chunk("x" + i);
        }
        conn.endChunks();

        assertThat(pulling.awaitEnd()).isNull();
        assertThat(pulling.bodyString()).startsWith("x0x1").endsWith("x19");
        assertThat(pulling.violations()).isEmpty();
    }
}
