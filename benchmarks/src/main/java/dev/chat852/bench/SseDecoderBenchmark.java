package dev.chat852.bench;

import dev.chat852.wire.OpenAiStreamDecoder;
import dev.chat852.wire.OpenAiStreamHandler;
import dev.chat852.wire.SseDecoder;
import dev.chat852.wire.SseHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.sse.internal.ServerSentEventReader;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one 1 MiB OpenAI-compatible event stream ({@link SseBodyGenerator}) that arrives in chunks of
 * {@code chunkSize} bytes, in bytes per microsecond (ops/us reads as MB/s), beside OkHttp's SSE parser
 * ({@code okhttp-sse}'s {@code ServerSentEventReader}) on the same body and chunking in the same run.
 *
 * <p>{@code sseViews} is chat852's {@link SseDecoder} with each event's data taken as the view it hands
 * out; {@code sseStrings} also decodes each event's data to a {@code String}, which is what OkHttp's
 * callback receives, so {@code sseStrings}/{@code okhttp} is the like-for-like ratio. OkHttp pulls from
 * an okio source that returns at most {@code chunkSize} bytes per read, as a socket would give them.
 * {@code openAiChunks} is the whole OpenAI layer the client runs (SSE, UTF-8, JSON, the delta's text),
 * for scale: OkHttp stops at the data string. Every invocation decodes the whole body with a new parser.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SseDecoderBenchmark {

    /** Size of the body, and the operations per invocation: 1 MiB. */
    public static final int BODY_BYTES = 1 << 20;
    static final long SEED = 852;

    @Param({"64", "1024", "16384"})
    int chunkSize;

    private byte[] body;
    private SseBodyGenerator.Body generated;

    @Setup
    public void setup() throws IOException {
        generated = SseBodyGenerator.generate(SEED, BODY_BYTES);
        body = generated.bytes();
        check();
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public long sseViews() {
        Counting counting = new Counting();
        SseDecoder decoder = new SseDecoder(counting);
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            decoder.feed(in, off, Math.min(chunkSize, in.length - off));
        }
        decoder.finish();
        return counting.dataBytes;
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void sseStrings(Blackhole bh) {
        SseDecoder decoder = new SseDecoder(new Strings(bh));
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            decoder.feed(in, off, Math.min(chunkSize, in.length - off));
        }
        decoder.finish();
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void okhttp(Blackhole bh) throws IOException {
        BufferedSource source = Okio.buffer(new ChunkedSource(body, chunkSize));
        ServerSentEventReader reader = new ServerSentEventReader(source, new OkHttpEvents(bh));
        while (reader.processNextEvent()) {
            // each call delivers one event to the callback
        }
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void openAiChunks(Blackhole bh) {
        OpenAiStreamDecoder decoder = new OpenAiStreamDecoder(new Texts(bh));
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            decoder.feed(in, off, Math.min(chunkSize, in.length - off));
        }
        decoder.finish();
    }

    /** Counts the data bytes of each event without copying or allocating. */
    static final class Counting implements SseHandler {
        long dataBytes;
        int events;

        @Override
        public void onEvent(String type, ByteBuffer data, String lastEventId) {
            events++;
            dataBytes += data.remaining();
        }
    }

    /** Each event's data as a String, as OkHttp's callback gets it. */
    static final class Strings implements SseHandler {
        private final Blackhole bh;

        Strings(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onEvent(String type, ByteBuffer data, String lastEventId) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            bh.consume(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    static final class OkHttpEvents implements ServerSentEventReader.Callback {
        private final Blackhole bh;
        int events;
        long dataChars;

        OkHttpEvents(Blackhole bh) {
            this.bh = bh;
        }

        @Override
        public void onEvent(String id, String type, String data) {
            events++;
            dataChars += data.length();
            if (bh != null) {
                bh.consume(data);
            }
        }

        @Override
        public void onRetryChange(long timeMs) {
        }
    }

    static final class Texts implements OpenAiStreamHandler {
        private final Blackhole bh;
        final StringBuilder text;

        Texts(Blackhole bh) {
            this.bh = bh;
            this.text = bh == null ? new StringBuilder() : null;
        }

        @Override
        public void onText(String piece) {
            if (bh != null) {
                bh.consume(piece);
            } else {
                text.append(piece);
            }
        }

        @Override
        public void onServerError(com.fasterxml.jackson.databind.JsonNode error) {
            throw new IllegalStateException("unexpected error event: " + error);
        }
    }

    /** An okio source that gives at most {@code chunk} bytes per read, like a socket that read that much. */
    static final class ChunkedSource implements Source {
        private final byte[] bytes;
        private final int chunk;
        private int at;

        ChunkedSource(byte[] bytes, int chunk) {
            this.bytes = bytes;
            this.chunk = chunk;
        }

        @Override
        public long read(Buffer sink, long byteCount) {
            if (at >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(Math.min(chunk, byteCount), bytes.length - at);
            sink.write(bytes, at, n);
            at += n;
            return n;
        }

        @Override
        public Timeout timeout() {
            return Timeout.NONE;
        }

        @Override
        public void close() {
        }
    }

    /**
     * Fails the trial loudly unless chat852's OpenAI layer (over its SSE decoder) and OkHttp, at this chunk
     * size, find exactly what was generated. Only the OpenAI layer's own handler is used here: a third
     * {@link SseHandler} class seen in the fork would make the decoder's call site megamorphic, which no
     * real caller sees.
     */
    private void check() throws IOException {
        Texts texts = new Texts(null);
        OpenAiStreamDecoder chunks = new OpenAiStreamDecoder(texts);
        for (int off = 0; off < body.length; off += chunkSize) {
            chunks.feed(body, off, Math.min(chunkSize, body.length - off));
        }
        chunks.finish();
        OkHttpEvents theirs = new OkHttpEvents(null);
        ServerSentEventReader reader = new ServerSentEventReader(Okio.buffer(new ChunkedSource(body, chunkSize)), theirs);
        while (reader.processNextEvent()) {
            // counted by the callback
        }
        require(theirs.events == generated.events(), "OkHttp found " + theirs.events + " events, generated "
                + generated.events());
        require(texts.text.toString().equals(generated.text()), "OpenAiStreamDecoder text differs from the generated text");
        require(chunks.done(), "OpenAiStreamDecoder did not see [DONE]");
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("chunkSize " + chunkSize + ": " + message);
        }
    }
}
