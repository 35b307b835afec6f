package dev.chat852;

import dev.chat852.protocol.ApiRequest;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A transport that answers from memory, as the request's last message asks: {@code "reads:N"} gets
 * HTTP 200 and N body reads of plain text ({@code "read-I;"}), made only as demand allows, then the end;
 * {@code "fail"} gets a connection failure. Reads are made lazily, so N may be huge.
 */
final class MemoryTransport implements Transport {

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        byte[] body = new byte[request.body().remaining()];
        request.body().get(body);
        List<ChatMessage> messages = ApiRequest.parse(body).messages();
        String ask = messages.get(messages.size() - 1).content();
        MemoryExchange exchange = new MemoryExchange(handler, ask.startsWith("reads:") ? Long.parseLong(ask.substring(6)) : -1);
        if (exchange.reads < 0) {
            handler.onError(new IOException("the memory transport refuses " + ask));
        } else {
            handler.onResponse(200, Map.of("content-type", List.of("text/plain; charset=utf-8")));
        }
        return exchange;
    }

    @Override
    public void close() {
    }

    private static final class MemoryExchange implements Exchange {
        private final ResponseHandler handler;
        private final long reads;
        private long made;
        private long demand;
        private boolean pumping;
        private volatile boolean ended;

        MemoryExchange(ResponseHandler handler, long reads) {
            this.handler = handler;
            this.reads = reads;
        }

        @Override
        public synchronized void request(long n) {
            if (n <= 0) {
                throw new IllegalArgumentException("n=" + n);
            }
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
            if (pumping) {
                return; // the loop below, further up this stack, sees the new demand
            }
            pumping = true;
            try {
                while (!ended && (made == reads || demand > 0)) {
                    if (made == reads) {
                        ended = true;
                        handler.onComplete();
                        return;
                    }
                    demand = demand == Long.MAX_VALUE ? demand : demand - 1;
                    handler.onBody(ByteBuffer.wrap(("read-" + made++ + ";").getBytes(StandardCharsets.US_ASCII)));
                }
            } finally {
                pumping = false;
            }
        }

        /** Not synchronized: another thread may cancel an endless pump. */
        @Override
        public void cancel() {
            ended = true;
        }
    }
}
