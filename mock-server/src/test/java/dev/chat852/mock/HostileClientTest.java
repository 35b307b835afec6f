package dev.chat852.mock;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.protocol.ChatApi;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The hostile-peer suite, server side: what a client that breaks every rule can do to the mock server,
 * and what it cannot (make it buffer without bound, hold a thread per connection, or stop serving the
 * next client). Every case ends with a well-behaved request that must still be answered.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_REQUEST_BYTES = 64 * 1024;

    private MockServer server;

    @BeforeEach
    void start() {
        server = MockServer.builder().speed(0).maxRequestBytes(MAX_REQUEST_BYTES).recordings(Recording.demo())
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The server still answers a well-behaved client. */
    private void stillServes() throws Exception {
        RawHttp.Response ok = RawHttp.post(server.baseUri(), RawHttp.chat("gpt-4", null, true, "user", "hi"));
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.complete).isTrue();
    }

    /** The aggregator answers 413 at the Content-Length and discards the body as it comes, keeping none of it. */
    @Test
    void aHundredMegabyteBodyIsRefusedWith413AndDiscarded() throws Exception {
        RawHttp.Reply reply = RawHttp.oversizeBody(server.baseUri(), ChatApi.PATH, 100L << 20,
                Duration.ofSeconds(2));

        assertThat(reply.statusLine()).startsWith("HTTP/1.1 413");
        assertThat(server.requests()).as("never handed on as a request").isEmpty();
        stillServes();
    }

    @Test
    void twoThousandHalfOpenConnectionsDoNotStopTheNextClient() throws Exception {
        List<Socket> idle = RawHttp.halfOpen(server.baseUri(), 2_000);
        try {
            stillServes();
        } finally {
            RawHttp.closeAll(idle);
        }
    }

    @Test
    void aHeaderBlockThatNeverEndsIsRefusedAndTheConnectionClosed() throws Exception {
        StringBuilder head = new StringBuilder("POST " + ChatApi.PATH + " HTTP/1.1\r\n");
        for (int i = 0; head.length() < 1 << 20; i++) {
            head.append("X-Header-").append(i).append(": value\r\n");
        }
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), head.toString().getBytes(ISO_8859_1), WAIT);

        assertThat(reply.statusLine()).matches("HTTP/1.1 (400|431) .*");
        assertThat(reply.closedByServer()).isTrue();
        stillServes();
    }

    @Test
    void aTenMegabyteHeaderLineIsRefusedAndTheConnectionClosed() throws Exception {
        byte[] line = ("POST " + ChatApi.PATH + " HTTP/1.1\r\nX-Huge: " + "a".repeat(10 << 20) + "\r\n\r\n")
                .getBytes(ISO_8859_1);
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), line, WAIT);

        assertThat(reply.statusLine()).matches("HTTP/1.1 (400|431) .*");
        assertThat(reply.closedByServer()).isTrue();
        stillServes();
    }

    /** Found by the request fuzz target: this used to close the connection with no answer at all. */
    @Test
    void aPathWithBrokenPercentEncodingGets400() throws Exception {
        String body = RawHttp.chat("gpt-4", null, true, "user", "hi");
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), ("POST /api/light/chat/createChat%Completion"
                + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body).getBytes(ISO_8859_1), WAIT);

        assertThat(reply.statusLine()).startsWith("HTTP/1.1 400");
        assertThat(reply.text()).contains("percent-encoding");
        stillServes();
    }

    /**
     * Found by the request fuzz target: a pipelined request with an {@code Expect} header used to get the
     * aggregator's interim answer written into the middle of the streamed answer before it.
     */
    @Test
    void aPipelinedExpectationDoesNotBreakIntoTheAnswerBeforeIt() throws Exception {
        String body = RawHttp.chat("gpt-4", null, true, "user", "hi");
        String request = "POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body;
        String expecting = "POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
        RecordedResponse slow = RecordedResponse.builder().chunk(0, "first ").chunk(300, "answer").build();
        try (MockServer paced = MockServer.builder().recording(Recording.of(slow)).build().start()) {
            RawHttp.Reply reply = RawHttp.sendRaw(paced.baseUri(), (request + expecting).getBytes(ISO_8859_1),
                    WAIT);

            assertThat(reply.text()).doesNotContain("100 Continue");
            assertThat(reply.text().split("HTTP/1.1 200 OK", -1)).hasSize(3);
            assertThat(reply.text()).contains("6\r\nanswer\r\n0\r\n\r\nHTTP/1.1 200 OK").endsWith("0\r\n\r\n");
        }
    }

    @Test
    void garbageInsteadOfARequestGets400() throws Exception {
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(),
                "\u0000\u00ff GARBAGE / NOT-HTTP\r\n\r\n".getBytes(ISO_8859_1), WAIT);

        assertThat(reply.statusLine()).startsWith("HTTP/1.1 400");
        assertThat(reply.closedByServer()).isTrue();
        stillServes();
    }

    @Test
    void aChunkedBodyWithGarbageChunkSizesGets400() throws Exception {
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), ("POST " + ChatApi.PATH
                + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"mod\r\nzz\r\nnot a size\r\n")
                .getBytes(ISO_8859_1), WAIT);

        assertThat(reply.statusLine()).startsWith("HTTP/1.1 400");
        stillServes();
    }

    @Test
    void aBodyLongerThanItsContentLengthIsOneRequestAndTheRestIsRefused() throws Exception {
        String body = RawHttp.chat("gpt-4", null, true, "user", "hi");
        RawHttp.Reply reply = RawHttp.sendRaw(server.baseUri(), ("POST " + ChatApi.PATH
                + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length() + "\r\n\r\n" + body
                + "TRAILING GARBAGE THAT IS NOT A REQUEST\r\n\r\n").getBytes(ISO_8859_1), WAIT);

        assertThat(reply.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(reply.text()).contains("HTTP/1.1 400");
        stillServes();
    }
}
