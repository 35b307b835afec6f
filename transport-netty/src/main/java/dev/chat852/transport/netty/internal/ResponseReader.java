package dev.chat852.transport.netty.internal;

import dev.chat852.spi.ResponseHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The response side of one {@link HttpExchange}, on the connection's event loop: what the channel reads
 * becomes the handler's calls, and reads are paced by the handler's demand.
 *
 * <p>Flow control: auto-read is off. A {@code channel.read()} is issued for the status line and
 * headers, and then only while the handler has demand and nothing read is waiting to be delivered;
 * what one read produced (one or several {@link HttpContent}s) is delivered together for one unit of
 * demand. So at most one read's worth of body is held here, and a slow consumer leaves the rest in
 * the socket's buffers, where TCP pushes back on the server.
 */
final class ResponseReader {
    private final HttpExchange exchange;
    private final ResponseHandler handler;
    /** Added to from any thread by {@link HttpExchange#request}. */
    private final AtomicLong demand = new AtomicLong();
    // -- the connection's event loop only
    private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>(4);
    private boolean responseSeen;
    private boolean informational;
    private boolean lastSeen;
    private boolean keepAlive;
    private boolean inRead;
    private boolean pumping;
    private boolean pumpAgain;

    ResponseReader(HttpExchange exchange, ResponseHandler handler) {
        this.exchange = exchange;
        this.handler = handler;
    }

    /** Any thread: {@code n} more reads of the body are wanted. */
    void addDemand(long n) {
        demand.accumulateAndGet(n, (d, add) -> d + add < 0 ? Long.MAX_VALUE : d + add);
    }

    /** Whether the response allows the connection to serve another request. */
    boolean keepAlive() {
        return keepAlive;
    }

    /** Drops what was read and not delivered: the exchange is over. */
    void releaseUnread() {
        ByteBuf buf;
        while ((buf = unread.pollFirst()) != null) {
            buf.release();
        }
    }

    void onMessage(Object msg) {
        try {
            inRead = true;
            if (!exchange.bound()) {
                return;
            }
            if (lastSeen) {
                keepAlive = false; // bytes after the response's end: the connection is not reusable
                return;
            }
            if (msg instanceof HttpObject) {
                DecoderResult result = ((HttpObject) msg).decoderResult();
                if (result.isFailure()) {
                    exchange.failBound(result.cause());
                    return;
                }
            }
            if (msg instanceof HttpResponse) {
                HttpResponse response = (HttpResponse) msg;
                int status = response.status().code();
                informational = status >= 100 && status < 200 && status != 101; // 100 Continue and friends: skipped
                if (!informational) {
                    responseSeen = true;
                    keepAlive = HttpUtil.isKeepAlive(response);
                    handler.onResponse(status, headers(response));
                }
            }
            if (msg instanceof HttpContent && exchange.bound()) {
                if (informational) {
                    informational = !(msg instanceof LastHttpContent);
                } else if (responseSeen) {
                    ByteBuf content = ((HttpContent) msg).content();
                    if (content.isReadable()) {
                        unread.addLast(content.retain());
                    }
                    lastSeen = msg instanceof LastHttpContent;
                }
            }
        } catch (RuntimeException e) {
            exchange.failBound(e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    void onReadComplete() {
        inRead = false;
        pump();
    }

    void onInactive() {
        inRead = false;
        if (lastSeen) {
            pump(); // the body was whole (or read to the close): deliver what is left, then complete
        } else {
            exchange.failBound(new IOException("the server closed the connection "
                    + (responseSeen ? "before the end of the response body" : "before the response")));
        }
    }

    void onFailure(Throwable cause) {
        exchange.failBound(cause);
    }

    /**
     * Delivers what was read when there is demand, completes after the last content, and otherwise
     * issues the next read if one is wanted. Re-entrant calls (a handler that requests or cancels from
     * inside a callback) only ask the running loop to go round again.
     */
    void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                step();
            } while (pumpAgain);
        } catch (RuntimeException e) { // the handler broke its contract; end the exchange rather than hang it
            exchange.failBound(e);
        } catch (Error e) {
            // An OutOfMemoryError while the handler decodes, say. Run as a task (a request() from another
            // thread), it would end in that task's future, where nobody looks: fail the exchange with it now.
            exchange.failBound(e);
            throw e;
        } finally {
            pumping = false;
        }
    }

    private void step() {
        while (exchange.bound() && !inRead) {
            if (!unread.isEmpty()) {
                if (!takeDemand()) {
                    return;
                }
                deliverUnread();
                continue;
            }
            if (lastSeen) {
                exchange.complete();
            } else if (!responseSeen || demand.get() > 0) {
                exchange.channel().read(); // at most one read is pending however often this is called
            }
            return;
        }
    }

    /** Hands each buffer's memory to the handler as it lies (no copy), then releases it. */
    private void deliverUnread() {
        ByteBuf buf;
        while (exchange.bound() && (buf = unread.pollFirst()) != null) {
            try {
                int count = buf.nioBufferCount();
                if (count == 1) {
                    handler.onBody(buf.nioBuffer());
                } else if (count > 1) {
                    for (ByteBuffer part : buf.nioBuffers()) {
                        if (!exchange.bound()) {
                            return;
                        }
                        if (part.hasRemaining()) {
                            handler.onBody(part);
                        }
                    }
                } else {
                    handler.onBody(ByteBuffer.wrap(ByteBufUtil.getBytes(buf))); // no NIO view of this memory
                }
            } finally {
                buf.release();
            }
        }
    }

    private boolean takeDemand() {
        while (true) {
            long d = demand.get();
            if (d == 0) {
                return false;
            }
            if (d == Long.MAX_VALUE || demand.compareAndSet(d, d - 1)) {
                return true;
            }
        }
    }

    private static Map<String, List<String>> headers(HttpResponse response) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : response.headers()) {
            map.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1)).add(h.getValue());
        }
        map.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(map);
    }
}
