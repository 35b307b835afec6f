package dev.chat852;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory transport the test drives by hand: it honours demand exactly like a real one must
 * (body parts wait until requested), so the client's flow control can be checked deterministically.
 */
final class FakeTransport implements Transport {
    final List<FakeExchange> exchanges = new CopyOnWriteArrayList<>();
    boolean closed;
    /** When set, each exchange fails with it before {@code execute} returns, as a refused connect may. */
    volatile Throwable failOnExecute;

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        FakeExchange e = new FakeExchange(request, handler);
        exchanges.add(e);
        Throwable failure = failOnExecute;
        if (failure != null) {
            e.fail(failure);
        }
        return e;
    }

    @Override
    public void close() {
        closed = true;
    }

    FakeExchange last() {
        return exchanges.get(exchanges.size() - 1);
    }

    static final class FakeExchange implements Exchange {
        final TransportRequest request;
        final ResponseHandler handler;
        private final ArrayDeque<Object> pending = new ArrayDeque<>();
        private long demand;
        long totalRequested;
        volatile boolean cancelled;
        private static final Object COMPLETE = new Object();

        FakeExchange(TransportRequest request, ResponseHandler handler) {
            this.request = request;
            this.handler = handler;
        }

        String body() {
            return StandardCharsets.UTF_8.decode(request.body()).toString();
        }

        synchronized FakeExchange respond(int status, String contentType) {
            return respond(status, Map.of("content-type", List.of(contentType)));
        }

        /** Header names in lower case, as transports give them. */
        synchronized FakeExchange respond(int status, Map<String, List<String>> headers) {
            handler.onResponse(status, headers);
            return this;
        }

        /** Queues a read; it reaches the client when demand allows. */
        synchronized FakeExchange read(String utf8) {
            return read(utf8.getBytes(StandardCharsets.UTF_8));
        }

        synchronized FakeExchange read(byte[] bytes) {
            pending.add(bytes);
            pump();
            return this;
        }

        synchronized FakeExchange complete() {
            pending.add(COMPLETE);
            pump();
            return this;
        }

        synchronized void fail(Throwable t) {
            handler.onError(t);
        }

        synchronized int pendingReads() {
            return pending.size();
        }

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("n=" + n);
            }
            totalRequested = totalRequested + n < 0 ? Long.MAX_VALUE : totalRequested + n;
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            pump();
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        private void pump() {
            while (!cancelled && !pending.isEmpty()) {
                Object next = pending.peek();
                if (next == COMPLETE) {
                    pending.poll();
                    handler.onComplete();
                    return;
                }
                if (demand == 0) {
                    return;
                }
                pending.poll();
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
                handler.onBody(ByteBuffer.wrap((byte[]) next));
            }
        }
    }
}
