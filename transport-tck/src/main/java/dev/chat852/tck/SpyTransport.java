package dev.chat852.tck;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import dev.chat852.testkit.LogCapture;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A transport that passes everything to another and keeps, as text, what crosses the SPI: each
 * {@link TransportRequest}'s and exchange's {@code toString()}, response headers, and the errors the
 * transport reports (with their stack traces). For the kit's secrets case.
 */
final class SpyTransport implements Transport {
    private final Transport delegate;
    private final List<String> texts = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    SpyTransport(Transport delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        requests.add(request.toString());
        texts.add(request.toString());
        Exchange exchange = delegate.execute(request, new ResponseHandler() {
            @Override
            public void onResponse(int status, Map<String, List<String>> headers) {
                texts.add(status + " " + headers);
                handler.onResponse(status, headers);
            }

            @Override
            public void onBody(ByteBuffer chunk) {
                handler.onBody(chunk);
            }

            @Override
            public void onComplete() {
                handler.onComplete();
            }

            @Override
            public void onError(Throwable error) {
                errors.add(error);
                texts.add(LogCapture.stackTrace(error));
                handler.onError(error);
            }
        });
        texts.add(String.valueOf(exchange));
        return exchange;
    }

    @Override
    public void close() {
        delegate.close();
    }

    /** The transport's own toString and everything it saw, as text. */
    List<String> texts() {
        List<String> all = new ArrayList<>();
        all.add(delegate.toString());
        synchronized (texts) {
            all.addAll(texts);
        }
        return all;
    }

    /** The errors the transport reported, in order. */
    List<Throwable> errors() {
        synchronized (errors) {
            return new ArrayList<>(errors);
        }
    }

    /** How many requests went through. */
    int requestCount() {
        return requests.size();
    }

    @Override
    public String toString() {
        return "SpyTransport{" + delegate + "}";
    }
}
