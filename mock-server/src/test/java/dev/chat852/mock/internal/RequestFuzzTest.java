package dev.chat852.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Coverage-guided fuzzing of how the mock reads requests, through its real HTTP pipeline (codec,
 * bounded aggregator, {@link MockHandler}) on an embedded channel: whatever bytes a client sends, the
 * server answers with well-formed HTTP (or closes), nothing escapes the pipeline as an exception or ends
 * in the handler as an unexpected error, and the token of a request is never echoed.
 *
 * <p>Half of the inputs are raw bytes on the connection; the other half are a well-framed POST whose
 * body is fuzzed, so the JSON parsing behind the HTTP layer is reached too, and its answer is checked
 * fully: a complete response with one of the statuses the mock documents.
 */
class RequestFuzzTest {
    static final String TOKEN = "sk-fuzz-secret-852";
    private static final int MAX_REQUEST_BYTES = 64 * 1024;
    private static final Set<Integer> STATUSES = Set.of(200, 204, 400, 401, 404, 405, 413);

    @FuzzTest
    // No CR or LF in an entry: Jazzer 0.24 writes them unescaped, and libFuzzer then rejects the dictionary.
    @DictionaryEntries({"POST ", " HTTP/1.1", ChatApi.PATH, "Content-Length: ", "Transfer-Encoding: chunked",
        "Expect: 100-continue", "Connection: close", "\"model\"", "\"messages\"", "\"role\"",
        "\"content\"", "\"token\"", "\"params\"", "\"stream\"", "false", "null", "你好", "\"" + TOKEN + "\""})
    void anyRequestGetsWellFormedHttpAndNeverItsTokenBack(FuzzedDataProvider data) {
        boolean framed = data.consumeBoolean();
        byte[] input;
        if (framed) {
            byte[] body = data.consumeRemainingAsBytes();
            String head = "POST " + ChatApi.PATH + " HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\n"
                    + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
            input = concat(head.getBytes(StandardCharsets.ISO_8859_1), body);
        } else {
            input = data.consumeRemainingAsBytes();
        }

        EmbeddedChannel server = new EmbeddedChannel();
        NettyServer.pipeline(server.pipeline(), MAX_REQUEST_BYTES, new MockHandler(new Backend()));
        server.pipeline().fireChannelActive();
        WARNINGS.clear();
        server.writeInbound(Unpooled.wrappedBuffer(input));
        server.runPendingTasks();
        server.checkException(); // nothing escaped the pipeline
        assertThat(WARNINGS).as("unexpected errors the handler logged").isEmpty();
        byte[] output = drain(server);
        server.finishAndReleaseAll();

        String text = new String(output, StandardCharsets.ISO_8859_1);
        if (framed) {
            String token = tokenOnlyInItsField(input);
            if (token != null) {
                assertThat(new String(output, StandardCharsets.UTF_8)).as("the request's token is echoed").doesNotContain(token);
            }
        }
        if (output.length > 0) {
            assertThat(text).startsWith("HTTP/1.1 ");
        }
        if (framed) {
            List<FullHttpResponse> responses = responses(output);
            try {
                assertThat(responses).as("the answer to a well-framed request").isNotEmpty();
                FullHttpResponse first = responses.get(0);
                assertThat(first.decoderResult().isSuccess()).as(text).isTrue();
                assertThat(STATUSES).contains(first.status().code());
            } finally {
                responses.forEach(FullHttpResponse::release);
            }
        }
    }

    /**
     * The body's {@code token} value, if the body is a JSON object whose token (of 4 characters or more)
     * appears nowhere else in it: the mock echoes what a request asked (its path, model and messages) in
     * a 404, and only the token itself must never come back.
     */
    private static String tokenOnlyInItsField(byte[] input) {
        String request = new String(input, StandardCharsets.UTF_8);
        JsonNode json = Jsons.parseOrNull(request.substring(request.indexOf("\r\n\r\n") + 4));
        if (json == null || !json.isObject() || !json.path("token").isTextual()) {
            return null;
        }
        String token = json.get("token").textValue();
        ((ObjectNode) json).remove("token");
        return token.length() >= 4 && !Jsons.write(json).contains(token) && !json.toString().contains(token) ? token : null;
    }

    /** Warnings the mock logs: an unexpected error in the handler is one, and must never happen. */
    private static final List<String> WARNINGS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Logger MOCK_LOG = Logger.getLogger("dev.chat852.mock");

    static {
        MOCK_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                    WARNINGS.add(record.getMessage() + " " + record.getThrown());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private static byte[] drain(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object msg; (msg = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] b = new byte[buf.readableBytes()];
            buf.readBytes(b);
            buf.release();
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    private static List<FullHttpResponse> responses(byte[] output) {
        EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder(), new HttpObjectAggregator(1 << 24));
        client.writeInbound(Unpooled.wrappedBuffer(output));
        client.finish(); // the server closed: a body delimited by the close is complete
        List<FullHttpResponse> responses = new java.util.ArrayList<>();
        for (Object msg; (msg = client.readInbound()) != null; ) {
            responses.add((FullHttpResponse) msg);
        }
        return responses;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The demo recordings, no delays, and a token check that refuses one particular token. */
    private static final class Backend implements MockBackend {
        private final MockServer admin = MockServer.builder().build();

        private static final List<Recording> DEMO = Recording.demo();

        @Override
        public double speed() {
            return 0;
        }

        @Override
        public Rechunk rechunk() {
            return Rechunk.asRecorded();
        }

        @Override
        public List<Fault> faults() {
            return List.of();
        }

        @Override
        public boolean acceptsToken(String token) {
            return !"sk-wrong".equals(token);
        }

        /** An unstarted server: what the admin API reads and changes, for requests that reach it. */
        @Override
        public MockServer server() {
            return admin;
        }

        @Override
        public MockResponse answer(String path, Map<String, List<String>> headers, ApiRequest request) {
            for (Recording r : DEMO) {
                if (r.request().matches(request.model(), request.messages())) {
                    return MockResponse.of(r.response());
                }
            }
            return null;
        }

        @Override
        public List<Recording> recordings() {
            return DEMO;
        }

        @Override
        public void received(String method, String path, Map<String, List<String>> headers, ApiRequest request) {
            // the request log's redaction has its own tests (MockServer.requests())
        }

        @Override
        public TrackedConnection connected(Channel channel) {
            return new TrackedConnection(1, channel);
        }
    }
}
