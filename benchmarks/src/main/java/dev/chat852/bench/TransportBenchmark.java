package dev.chat852.bench;

import dev.chat852.ChatClient;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatListener;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;
import dev.chat852.transport.netty.NettyTransport;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The client end to end over each transport, on loopback, against the project's {@link
 * dev.chat852.mock.MockServer} at speed 0 (no delays) running in a JVM of its own ({@link BenchServer}).
 * One client and one transport per trial, so keep-alive connections are reused from call to call.
 *
 * <ul>
 *   <li>{@link #firstText}: time from {@code client.stream(...)} until the first {@code onText} of a short
 *       answer (the 152-byte header block, then 351 bytes of text and {@code undefined} in 32-byte chunks) reaches the caller's thread. The
 *       rest of the answer is read after the timed part, in a per-invocation tear-down, so the connection
 *       goes back to the pool instead of being closed by a cancel.</li>
 *   <li>{@link #shortCall}: the whole short answer, until {@code completion()} completes.</li>
 *   <li>{@link #longStream}: one 16 MiB answer (16 KiB recorded chunks) read with a listener that counts
 *       characters; one operation is one body byte, so the score in ops/us reads as MB/s.</li>
 *   <li>{@link #longStreamNotKept}: the same with {@code keepText(false)}: the call keeps no copy of the
 *       answer.</li>
 * </ul>
 *
 * <p>{@code transport=raw} is the baseline: {@link RawHttpClient}, a blocking socket that reads the chunked
 * body and does nothing with it: what the server and loopback allow. {@code transport=handwritten} is the
 * client a user would write without chat852 ({@link HandwrittenClient}): {@code java.net.http.HttpClient}
 * with {@code BodyHandlers.ofInputStream()} and a correct streaming decode ({@link HandwrittenDecoder}),
 * text pieces to the caller, the answer not kept.
 */
@State(Scope.Benchmark)
public class TransportBenchmark {

    @Param({"jdk", "netty", "raw", "handwritten"})
    String transport;

    private ServerProcess server;
    private Transport chatTransport;
    private ChatClient client;
    private RawHttpClient raw;
    private HandwrittenClient hand;
    private byte[] rawShort;
    private byte[] rawLong;
    private int shortChars;
    private int shortTextBytes;
    private int longChars;

    private static final ChatRequest SHORT = ChatRequest.of(BenchRecordings.SHORT_PROMPT);
    private static final ChatRequest LONG = ChatRequest.of(BenchRecordings.LONG_PROMPT);
    private static final ChatRequest LONG_NOT_KEPT = LONG.toBuilder().keepText(false).build();

    @Setup(Level.Trial)
    public void setup() throws IOException {
        ChatBodyGenerator.Body shortBody = BenchRecordings.shortBody();
        ChatBodyGenerator.Body longBody = BenchRecordings.longBody();
        shortChars = shortBody.text().length();
        shortTextBytes = shortBody.textBytes();
        longChars = longBody.text().length();
        server = ServerProcess.start(BenchServer.class);
        switch (transport) {
            case "jdk":
                chatTransport = JdkTransport.create();
                break;
            case "netty":
                chatTransport = NettyTransport.create();
                break;
            case "raw":
                raw = new RawHttpClient("127.0.0.1", server.port());
                rawShort = BenchRecordings.httpRequest("127.0.0.1:" + server.port(), BenchRecordings.SHORT_PROMPT);
                rawLong = BenchRecordings.httpRequest("127.0.0.1:" + server.port(), BenchRecordings.LONG_PROMPT);
                checkRaw(shortBody, rawShort);
                checkRaw(longBody, rawLong);
                return;
            case "handwritten":
                hand = new HandwrittenClient(server.baseUri());
                checkHandwritten(shortBody, BenchRecordings.SHORT_PROMPT);
                checkHandwritten(longBody, BenchRecordings.LONG_PROMPT);
                return;
            default:
                throw new IllegalArgumentException("transport must be jdk, netty, raw or handwritten, was " + transport);
        }
        client = ChatClient.builder()
                .baseUrl(server.baseUri().toString())
                .token("bench")
                .model(BenchRecordings.MODEL)
                .transport(chatTransport)
                .maxAnswerBytes(2 * BenchRecordings.LONG_BYTES) // the long answer is exactly the default bound
                .build();
        check(shortBody, await(client.stream(SHORT).completion()));
        check(longBody, await(client.stream(LONG).completion()));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (client != null) {
            client.close();
            chatTransport.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (hand != null) {
            hand.close();
        }
        server.close();
    }

    /** A short answer's first text piece, on the caller's thread; the rest is read untimed. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Object firstText(InFlight inFlight) throws IOException {
        if (raw != null) {
            inFlight.rest = this::rawRest;
            return rawFirstText();
        }
        if (hand != null) {
            TextCounter counter = new TextCounter();
            HandwrittenClient.Call call = hand.open(BenchRecordings.SHORT_PROMPT, counter, header -> { });
            boolean ended = call.readUntil(() -> counter.first != null);
            inFlight.rest = () -> {
                if (!ended) {
                    call.readToEnd();
                }
                counter.expect(shortChars, "short answer");
            };
            return counter.first;
        }
        FirstText listener = new FirstText();
        ChatStream stream = client.stream(SHORT);
        stream.listen(listener);
        inFlight.rest = () -> {
            ChatCompletion done = await(stream.completion());
            if (listener.chars != shortChars || done.text().length() != shortChars) {
                throw new IllegalStateException("short answer: " + listener.chars + " chars, expected " + shortChars);
            }
        };
        return await(listener.first);
    }

    /** A whole short answer. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long shortCall() throws IOException {
        if (raw != null) {
            return rawWhole(rawShort);
        }
        if (hand != null) {
            return handWhole(BenchRecordings.SHORT_PROMPT, shortChars, "short answer");
        }
        CharCounter counter = new CharCounter();
        ChatStream stream = client.stream(SHORT);
        stream.listen(counter);
        await(stream.completion());
        if (counter.chars != shortChars) {
            throw new IllegalStateException("short answer: " + counter.chars + " chars, expected " + shortChars);
        }
        return counter.chars;
    }

    /** One whole 16 MiB answer; one operation is one body byte. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(BenchRecordings.LONG_BYTES)
    public long longStream() throws IOException {
        if (raw != null) {
            return rawWhole(rawLong);
        }
        if (hand != null) {
            return handWhole(BenchRecordings.LONG_PROMPT, longChars, "long answer");
        }
        return longAnswer(LONG);
    }

    /**
     * As {@link #longStream}, with the request's {@code keepText(false)}: the pieces reach the listener,
     * the call keeps no copy of the answer (the lighter path, and what {@code handwritten} does). The
     * baselines, which never keep the answer, run the same code as in {@link #longStream}.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(BenchRecordings.LONG_BYTES)
    public long longStreamNotKept() throws IOException {
        if (client == null) {
            return longStream();
        }
        return longAnswer(LONG_NOT_KEPT);
    }

    /** The long answer through chat852's client: every character to the listener, the text kept as asked. */
    private long longAnswer(ChatRequest request) throws IOException {
        CharCounter counter = new CharCounter();
        ChatStream stream = client.stream(request);
        stream.listen(counter);
        ChatCompletion done = await(stream.completion());
        long kept = request.keepText() ? longChars : 0;
        if (counter.chars != longChars || done.text().length() != kept) {
            throw new IllegalStateException("long answer: " + counter.chars + " chars, expected " + longChars
                    + ", and " + done.text().length() + " kept, expected " + kept);
        }
        return counter.chars;
    }

    /** Where {@link #firstText} leaves the rest of its answer, read after the timed part. */
    @State(Scope.Thread)
    public static class InFlight {
        Rest rest;

        @TearDown(Level.Invocation)
        public void finish() throws IOException {
            Rest r = rest;
            rest = null;
            if (r != null) {
                r.run();
            }
        }
    }

    interface Rest {
        void run() throws IOException;
    }

    /** Completes {@link #first} with the first piece; counts characters. */
    static final class FirstText implements ChatListener {
        final CompletableFuture<String> first = new CompletableFuture<>();
        int chars;

        @Override
        public void onText(String text) {
            if (chars == 0) {
                first.complete(text);
            }
            chars += text.length();
        }
    }

    static final class CharCounter implements ChatListener {
        long chars;

        @Override
        public void onText(String text) {
            chars += text.length();
        }
    }

    // ---- the hand-written client ----------------------------------------------------------------------

    /** Counts the characters of the text pieces and keeps the first. */
    static final class TextCounter implements java.util.function.Consumer<String> {
        String first;
        long chars;

        @Override
        public void accept(String text) {
            if (first == null) {
                first = text;
            }
            chars += text.length();
        }

        void expect(long expected, String what) {
            if (chars != expected) {
                throw new IllegalStateException(what + ": " + chars + " chars, expected " + expected);
            }
        }
    }

    private long handWhole(String prompt, long expectedChars, String what) throws IOException {
        TextCounter counter = new TextCounter();
        hand.open(prompt, counter, header -> { }).readToEnd();
        counter.expect(expectedChars, what);
        return counter.chars;
    }

    private void checkHandwritten(ChatBodyGenerator.Body body, String prompt) throws IOException {
        StringBuilder text = new StringBuilder();
        java.util.List<String> headers = new java.util.ArrayList<>();
        hand.open(prompt, text::append, headers::add).readToEnd();
        if (!text.toString().equals(body.text()) || !headers.equals(java.util.List.of(body.header()))) {
            throw new IllegalStateException("the hand-written client's answer differs from the recording: "
                    + text.length() + " chars, headers " + headers.size());
        }
    }

    // ---- the raw baseline --------------------------------------------------------------------------------

    private static final byte[] END = "end852".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private int rawTextSeen;

    /** Reads until the first body byte after {@code end852}; returns that byte. */
    private int rawFirstText() throws IOException {
        raw.send(rawShort);
        raw.readHead();
        int matched = 0;
        while (raw.nextSlice()) {
            byte[] b = raw.buf();
            int end = raw.sliceOffset() + raw.sliceLength();
            for (int i = raw.sliceOffset(); i < end; i++) {
                if (matched == END.length) {
                    rawTextSeen = end - i;
                    return b[i];
                }
                matched = b[i] == END[matched] ? matched + 1 : b[i] == 'e' ? 1 : 0;
            }
        }
        throw new IllegalStateException("no text after the header block");
    }

    private void rawRest() throws IOException {
        long bytes = rawTextSeen;
        while (raw.nextSlice()) {
            bytes += raw.sliceLength();
        }
        long expected = shortTextBytes + ChatBodyGenerator.TRAILER.length();
        if (bytes != expected) {
            throw new IllegalStateException("short answer: " + bytes + " bytes after the header, expected " + expected);
        }
    }

    private long rawWhole(byte[] request) throws IOException {
        raw.send(request);
        raw.readHead();
        long bytes = 0;
        while (raw.nextSlice()) {
            bytes += raw.sliceLength();
        }
        return bytes;
    }

    private void checkRaw(ChatBodyGenerator.Body body, byte[] request) throws IOException {
        raw.send(request);
        int status = raw.readHead();
        CRC32 got = new CRC32();
        long bytes = 0;
        while (raw.nextSlice()) {
            got.update(raw.buf(), raw.sliceOffset(), raw.sliceLength());
            bytes += raw.sliceLength();
        }
        CRC32 expected = new CRC32();
        expected.update(body.bytes());
        if (status != 200 || bytes != body.bytes().length || got.getValue() != expected.getValue()) {
            throw new IllegalStateException("raw check failed: HTTP " + status + ", " + bytes + " bytes");
        }
    }

    /** Waits at most a minute: a call that hangs fails the trial instead of stalling the run. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the call did not end within 60 s", e);
        }
    }

    private static void check(ChatBodyGenerator.Body body, ChatCompletion completion) {
        if (!completion.finished() || !completion.text().equals(body.text()) || completion.headers().size() != 1
                || !completion.headers().get(0).raw().equals(body.header())) {
            throw new IllegalStateException("the answer differs from the recording: " + completion);
        }
    }
}
