package dev.chat852.tck;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.wire.Header;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The kit's constants, scripts and checks. */
final class Tck {
    /** The token every test client sends. */
    static final String TOKEN = "sk-test-secret-token-852";
    /** How long a call may take before the kit gives up on it: generous, for loaded machines. */
    static final Duration WAIT = Duration.ofSeconds(30);
    /** How long closing a connection or ending threads may take. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(15);

    /** A quota header block's JSON, as the API documents its fields. */
    static final String HEADER_JSON = "{\"isSdHide\":false,\"sdLimitCount\":10,\"numOfOneDayCanCallApi\":100,"
            + "\"numOfOneDayAlreadyCallApi\":7,\"apiDate\":\"2024-01-05\",\"isHasGPT4Auth\":true}";
    static final String HEADER_BLOCK = "start852" + HEADER_JSON + "end852";
    /** The answer: 2-, 3- and 4-byte characters, marker look-alikes and an inner {@code undefined}. */
    static final String TEXT = "你好！我是 chat852 的测试助手。Grüße, ça va? 🙂🚀 ∑x² — "
            + "start85 和 end852 都只是文字, undefined 也是。结束";
    /** A whole streamed body: header block, answer, trailer. */
    static final String BODY = HEADER_BLOCK + TEXT + "undefined";
    static final byte[] BODY_BYTES = BODY.getBytes(UTF_8);
    /** Text the failure tests send before they fail. */
    static final String PART = "部分答案：前半句已经到了，";

    private Tck() {
    }

    // ---- scripts ------------------------------------------------------------------------------------

    /** {@code body} cut into pieces of {@code size} bytes, each its own chunk, {@code gapMs} apart. */
    static RecordedResponse.Builder chunks(RecordedResponse.Builder b, byte[] body, int size, long gapMs) {
        for (int i = 0; i < body.length; i += size) {
            b.chunk(i == 0 ? 0 : gapMs, Arrays.copyOfRange(body, i, Math.min(body.length, i + size)));
        }
        return b;
    }

    /** A 200 stream of {@code body} in pieces of {@code size} bytes, {@code gapMs} apart. */
    static RecordedResponse stream(byte[] body, int size, long gapMs) {
        return chunks(RecordedResponse.builder(), body, size, gapMs).build();
    }

    /** A 200 stream of the UTF-8 {@code body} in pieces of {@code size} bytes, sent at once. */
    static RecordedResponse stream(String body, int size) {
        return stream(body.getBytes(UTF_8), size, 0);
    }

    /**
     * {@code unit} {@code times} times, {@code gapMs} apart (the first after {@code firstGapMs}): one
     * shared chunk, so a long body costs no memory per repeat.
     */
    static RecordedResponse.Builder repeat(RecordedResponse.Builder b, byte[] unit, long times, long firstGapMs,
                                           long gapMs) {
        Chunk first = Chunk.of(firstGapMs, unit);
        Chunk next = Chunk.of(gapMs, unit);
        for (long i = 0; i < times; i++) {
            b.chunk(i == 0 ? first : next);
        }
        return b;
    }

    /** A JSON body in one piece with a Content-Length, as the API sends its JSON. */
    static MockResponse json(int status, String json) {
        return MockResponse.builder(RecordedResponse.builder().status(status)
                        .header("Content-Type", "application/json; charset=utf-8").chunk(0, json).build())
                .framing(MockResponse.Framing.CONTENT_LENGTH).build();
    }

    /** A {@code text/plain} body in one piece, framed like {@link #json}. */
    static MockResponse text(int status, String text) {
        return MockResponse.builder(RecordedResponse.builder().status(status)
                        .header("Content-Type", "text/plain; charset=utf-8").chunk(0, text).build())
                .framing(MockResponse.Framing.CONTENT_LENGTH).build();
    }

    /** The API's whole answer: its JSON wrapper around a completion whose text is {@code content}. */
    static String wholeAnswer(String content, String info) {
        return "{\"code\":200,\"message\":\"成功\",\"data\":{\"completion\":{\"choices\":[{\"message\":"
                + "{\"role\":\"assistant\",\"content\":\"" + content + "\"}}]},\"info\":" + info + "}}";
    }

    // ---- checks -------------------------------------------------------------------------------------

    /** Checks a header block is the kit's quota header, parsed. */
    static void assertQuotaHeader(Header header) {
        assertThat(header.raw()).isEqualTo(HEADER_JSON);
        assertThat(header.json()).isNotNull();
        assertThat(header.sdHide()).hasValue(false);
        assertThat(header.sdLimitCount()).hasValue(10);
        assertThat(header.dailyCallLimit()).hasValue(100);
        assertThat(header.dailyCallsUsed()).hasValue(7);
        assertThat(header.apiDate()).hasValue("2024-01-05");
        assertThat(header.gpt4Authorized()).hasValue(true);
    }

    /** The result of {@code future}, waiting at most {@link #WAIT}; a failure becomes an AssertionError. */
    static <T> T await(CompletableFuture<T> future) throws InterruptedException {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("the call failed: " + e.getCause(), e.getCause());
        } catch (CancellationException e) {
            throw new AssertionError("the call was cancelled", e);
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end within " + WAIT.toMillis() + " ms", e);
        }
    }

    /** How {@code future} failed, waiting at most {@link #WAIT}; an AssertionError if it succeeded or hung. */
    static Throwable failureOf(CompletableFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the call to fail, but it succeeded with " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (CancellationException e) {
            return e;
        } catch (TimeoutException e) {
            throw new AssertionError("the call did not end within " + WAIT.toMillis() + " ms", e);
        }
    }

    /** No message of the error or its causes contains the token. */
    static void assertNoToken(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            assertThat(String.valueOf(t)).doesNotContain(TOKEN);
            for (Throwable s : t.getSuppressed()) {
                assertThat(String.valueOf(s)).doesNotContain(TOKEN);
            }
        }
    }

    /** A port nothing listens on (it was free a moment ago). */
    static int unusedPort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** A daemon thread factory naming its threads {@code name}. */
    static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
