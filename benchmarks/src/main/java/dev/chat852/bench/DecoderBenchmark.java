package dev.chat852.bench;

import dev.chat852.wire.FrameDecoder;
import dev.chat852.wire.FrameHandler;
import dev.chat852.wire.Header;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Decoding one 1 MiB streaming body fed in chunks of {@code chunkSize} bytes, in bytes per
 * microsecond: one operation is one byte, so the score in ops/us reads as MB/s (10^6 bytes/s), and
 * {@code gc.alloc.rate.norm} is in bytes allocated per body byte.
 *
 * <p>{@code framing} and {@code strings} are the decoder; {@code seedPort} is the vendor sample's
 * logic, {@code memcpy} and {@code newString} bound what any framing or any String-producing decoder
 * can do. Every invocation decodes the whole body with a new decoder, as one stream would.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecoderBenchmark {

    /** Size of the body, and the operations per invocation: 1 MiB. */
    public static final int BODY_BYTES = 1 << 20;
    static final long SEED = 852;

    @Param({"64", "1024", "16384"})
    int chunkSize;

    private byte[] body;
    private byte[] scratch;
    private final CountingHandler counter = new CountingHandler();

    @Setup
    public void setup() {
        ChatBodyGenerator.Body generated = ChatBodyGenerator.generate(SEED, BODY_BYTES);
        body = generated.bytes();
        scratch = new byte[chunkSize];
        check(generated);
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public long framing() {
        FrameDecoder decoder = new FrameDecoder(counter);
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            decoder.feed(in, off, Math.min(chunkSize, in.length - off));
        }
        decoder.finish();
        return counter.textBytes;
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void strings(Blackhole bh) {
        StreamDecoder decoder = new StreamDecoder(bh::consume);
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            decoder.feed(in, off, Math.min(chunkSize, in.length - off));
        }
        decoder.finish();
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void seedPort(Blackhole bh) {
        SeedClientPort port = new SeedClientPort();
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            port.onChunk(in, off, Math.min(chunkSize, in.length - off));
        }
        bh.consume(port.message());
        bh.consume(port.headerData());
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public byte[] memcpy() {
        byte[] in = body;
        byte[] out = scratch;
        for (int off = 0; off < in.length; off += chunkSize) {
            System.arraycopy(in, off, out, 0, Math.min(chunkSize, in.length - off));
        }
        return out;
    }

    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void newString(Blackhole bh) {
        byte[] in = body;
        for (int off = 0; off < in.length; off += chunkSize) {
            bh.consume(new String(in, off, Math.min(chunkSize, in.length - off), StandardCharsets.UTF_8));
        }
    }

    /**
     * Diagnostic baseline: {@code new String} per chunk, each chunk extended to the next character
     * boundary, so every piece decodes cleanly: the decoding work {@code strings} cannot avoid, without
     * the framing. (It is not what the targets compare against; {@code newString} is.)
     */
    @Benchmark
    @OperationsPerInvocation(BODY_BYTES)
    public void newStringAligned(Blackhole bh) {
        byte[] in = body;
        int off = 0;
        while (off < in.length) {
            int to = Math.min(off + chunkSize, in.length);
            while (to < in.length && (in[to] & 0xC0) == 0x80) {
                to++;
            }
            bh.consume(new String(in, off, to - off, StandardCharsets.UTF_8));
            off = to;
        }
    }

    /** Consumes the slices without copying or allocating: only their sizes are counted. */
    static final class CountingHandler implements FrameHandler {
        long textBytes;
        long headerBytes;
        int headers;

        @Override
        public void onText(ByteBuffer text) {
            textBytes += text.remaining();
        }

        @Override
        public void onHeader(ByteBuffer header) {
            headers++;
            headerBytes += header.remaining();
        }
    }

    /**
     * Fails the trial loudly unless both decoders, at this chunk size, find exactly what was generated.
     * It uses the benchmark's own handler classes: a third {@link FrameHandler} class seen here would
     * make the decoder's handler call site megamorphic for the whole fork, which no real caller sees.
     */
    private void check(ChatBodyGenerator.Body expected) {
        CountingHandler frames = new CountingHandler();
        FrameDecoder frameDecoder = new FrameDecoder(frames);
        StringBuilder text = new StringBuilder();
        List<Header> headers = new ArrayList<>();
        StreamDecoder streamDecoder = new StreamDecoder(new StreamHandler() {
            @Override
            public void onText(String piece) {
                text.append(piece);
            }

            @Override
            public void onHeader(Header header) {
                headers.add(header);
            }
        });
        for (int off = 0; off < body.length; off += chunkSize) {
            int len = Math.min(chunkSize, body.length - off);
            frameDecoder.feed(body, off, len);
            streamDecoder.feed(body, off, len);
        }
        frameDecoder.finish();
        streamDecoder.finish();
        require(frames.headers == 1 && frames.headerBytes == expected.header().length(),
                "FrameDecoder found " + frames.headers + " headers of " + frames.headerBytes + " bytes in all");
        require(frames.textBytes == expected.textBytes(),
                "FrameDecoder text bytes: " + frames.textBytes + ", expected " + expected.textBytes());
        require(headers.size() == 1 && headers.get(0).raw().equals(expected.header()) && headers.get(0).json() != null,
                "StreamDecoder headers: " + headers);
        require(text.length() == expected.text().length() && text.toString().equals(expected.text()),
                "StreamDecoder text: " + text.length() + " chars, expected " + expected.text().length());
    }

    private void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("chunkSize " + chunkSize + ": " + message);
        }
    }
}
