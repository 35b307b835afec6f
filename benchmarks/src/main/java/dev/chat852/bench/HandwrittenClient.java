package dev.chat852.bench;

import dev.chat852.protocol.ChatApi;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The client a user would write by hand instead of chat852, the {@code handwritten} value of {@link
 * TransportBenchmark}: {@code java.net.http.HttpClient} (HTTP/1.1, as chat852's JDK transport asks for),
 * {@code BodyHandlers.ofInputStream()}, and the body read on the calling thread in 8 KiB reads into a
 * {@link HandwrittenDecoder}. No retries, no timeouts per read, no events: the text pieces go to a
 * consumer, and the answer is not kept.
 */
final class HandwrittenClient implements AutoCloseable {
    private static final int READ_SIZE = 8192;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI uri;

    HandwrittenClient(URI baseUri) {
        this.uri = baseUri.resolve(ChatApi.PATH);
    }

    /** One streaming call, opened: the status checked, nothing of the body read yet. */
    Call open(String prompt, Consumer<String> text, Consumer<String> header) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(BenchRecordings.requestJson(prompt)));
        ChatApi.requestHeaders(true).forEach(b::header);
        HttpResponse<InputStream> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("HTTP " + response.statusCode());
        }
        return new Call(response.body(), new HandwrittenDecoder(text, header));
    }

    /** The body of one call, read into its decoder. */
    static final class Call {
        private final InputStream body;
        private final HandwrittenDecoder decoder;
        private final byte[] buf = new byte[READ_SIZE];

        private Call(InputStream body, HandwrittenDecoder decoder) {
            this.body = body;
            this.decoder = decoder;
        }

        /** Reads until {@code stop} is true after a read, or the body ended; returns whether it ended. */
        boolean readUntil(BooleanSupplier stop) throws IOException {
            do {
                int n = body.read(buf);
                if (n < 0) {
                    body.close();
                    decoder.finish();
                    return true;
                }
                decoder.feed(buf, 0, n);
            } while (!stop.getAsBoolean());
            return false;
        }

        void readToEnd() throws IOException {
            readUntil(() -> false);
        }
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before JDK 21; its idle connections end with it
    }
}
