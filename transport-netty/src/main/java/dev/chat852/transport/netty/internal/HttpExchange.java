package dev.chat852.transport.netty.internal;

import dev.chat852.ChatTimeoutException;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.TransportRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One request and its response over a pooled {@link Connection}.
 *
 * <p>States: {@code PENDING} while waiting for a connection, {@code BOUND} once it has one,
 * {@code ENDED} after the handler's last call or a cancel. Every change is a compare-and-set, so
 * exactly one of completion, failure, timeout, close and cancel wins. Before binding, only a failure
 * can reach the handler (from whichever thread lost the race to bind); once bound, every handler call
 * runs on the connection's event loop. So handler calls never overlap.
 *
 * <p>Flow control: auto-read is off. A {@code channel.read()} is issued for the status line and
 * headers, and then only while the handler has demand and nothing read is waiting to be delivered;
 * what one read produced (one or several {@link HttpContent}s) is delivered together for one unit of
 * demand. So at most one read's worth of body is held here, and a slow consumer leaves the rest in
 * the socket's buffers, where TCP pushes back on the server.
 */
final class HttpExchange implements Exchange {
    private static final int PENDING = 0;
    private static final int BOUND = 1;
    private static final int ENDED = 2;
    private static final System.Logger LOG = System.getLogger(HttpExchange.class.getName());

    private final HttpClient client;
    private final HostPool pool;
    private final ResponseHandler handler;
    private final FullHttpRequest message;
    private final Duration connectTimeout;
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private final AtomicLong demand = new AtomicLong();
    // -- written before the state leaves PENDING, read after
    private volatile Channel connecting;
    private volatile ScheduledFuture<?> connectTimer;
    private volatile Connection connection;
    // -- the connection's event loop only
    private final ArrayDeque<ByteBuf> unread = new ArrayDeque<>(4);
    private ChannelFuture written;
    private boolean responseSeen;
    private boolean informational;
    private boolean lastSeen;
    private boolean keepAlive;
    private boolean inRead;
    private boolean pumping;
    private boolean pumpAgain;
    private boolean released;

    HttpExchange(HttpClient client, HostPool pool, TransportRequest request, ResponseHandler handler) {
        this.client = client;
        this.pool = pool;
        this.handler = handler;
        this.connectTimeout = request.connectTimeout();
        this.message = toMessage(request, pool.origin()); // here, so bad headers fail execute() itself
    }

    private static FullHttpRequest toMessage(TransportRequest request, Origin origin) {
        URI uri = request.uri();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        ByteBuf body = Unpooled.wrappedBuffer(request.body());
        FullHttpRequest m = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target, body);
        request.headers().forEach(m.headers()::add);
        m.headers().set(HttpHeaderNames.HOST, origin.hostHeader());
        m.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return m;
    }

    // ---- before a connection -------------------------------------------------------------------------

    /** Starts the connect timer, then asks the pool for a connection. */
    void start() {
        if (!connectTimeout.isZero()) {
            connectTimer = client.timer().schedule(this::connectTimedOut, connectTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        pool.acquire(this);
    }

    boolean isPending() {
        return state.get() == PENDING;
    }

    /** A connection is being opened for this exchange: closing it is how a timeout or cancel stops it. */
    void connecting(Channel ch) {
        connecting = ch;
        if (state.get() == ENDED) {
            ch.close();
        }
    }

    private void connectTimedOut() {
        Channel ch = connecting;
        if (failPending(new ChatTimeoutException(ChatTimeoutException.Kind.CONNECT, connectTimeout)) && ch != null) {
            ch.close();
        }
    }

    /** Fails the exchange if it has no connection yet; false if it has one, or has ended. */
    boolean failPending(Throwable error) {
        if (!state.compareAndSet(PENDING, ENDED)) {
            return false;
        }
        endPending();
        notifyError(error);
        return true;
    }

    private void endPending() {
        cancelTimer();
        pool.forget(this);
        client.ended(this);
    }

    private void cancelTimer() {
        ScheduledFuture<?> t = connectTimer;
        if (t != null) {
            t.cancel(false);
        }
    }

    /**
     * Takes {@code c} for this exchange, unless it has ended; then the caller keeps the connection.
     * The request is written on the connection's event loop.
     */
    boolean bind(Connection c) {
        connection = c;
        if (!state.compareAndSet(PENDING, BOUND)) {
            return false;
        }
        connecting = null;
        cancelTimer();
        EventLoop loop = c.channel().eventLoop();
        if (loop.inEventLoop()) {
            begin();
        } else {
            try {
                loop.execute(this::begin);
            } catch (RejectedExecutionException e) { // its group is shut down: the connection is useless
                failBound(e);
            }
        }
        return true;
    }

    // ---- on the connection's event loop --------------------------------------------------------------

    private void begin() {
        if (state.get() != BOUND) {
            release(written == null); // cancelled before anything was sent: the connection is as good as it was
            return;
        }
        Connection c = connection;
        c.attach(this);
        written = c.channel().writeAndFlush(message);
        written.addListener(f -> {
            if (!f.isSuccess()) {
                failBound(f.cause());
            }
        });
        pump(); // reads the status line and headers
    }

    void onMessage(Object msg) {
        try {
            inRead = true;
            if (state.get() != BOUND) {
                return;
            }
            if (lastSeen) {
                keepAlive = false; // bytes after the response's end: the connection is not reusable
                return;
            }
            if (msg instanceof HttpObject) {
                DecoderResult result = ((HttpObject) msg).decoderResult();
                if (result.isFailure()) {
                    failBound(result.cause());
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
            if (msg instanceof HttpContent && state.get() == BOUND) {
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
            failBound(e);
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
            failBound(new IOException("the server closed the connection "
                    + (responseSeen ? "before the end of the response body" : "before the response")));
        }
    }

    void onFailure(Throwable cause) {
        failBound(cause);
    }

    /**
     * Delivers what was read when there is demand, completes after the last content, and otherwise
     * issues the next read if one is wanted. Re-entrant calls (a handler that requests or cancels from
     * inside a callback) only ask the running loop to go round again.
     */
    private void pump() {
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
            failBound(e);
        } catch (Error e) {
            // An OutOfMemoryError while the handler decodes, say. Run as a task (a request() from another
            // thread), it would end in that task's future, where nobody looks: fail the exchange with it now.
            failBound(e);
            throw e;
        } finally {
            pumping = false;
        }
    }

    private void step() {
        while (state.get() == BOUND && !inRead) {
            if (!unread.isEmpty()) {
                if (!takeDemand()) {
                    return;
                }
                deliverUnread();
                continue;
            }
            if (lastSeen) {
                complete();
            } else if (!responseSeen || demand.get() > 0) {
                connection.channel().read(); // at most one read is pending however often this is called
            }
            return;
        }
    }

    /** Hands each buffer's memory to the handler as it lies (no copy), then releases it. */
    private void deliverUnread() {
        ByteBuf buf;
        while (state.get() == BOUND && (buf = unread.pollFirst()) != null) {
            try {
                int count = buf.nioBufferCount();
                if (count == 1) {
                    handler.onBody(buf.nioBuffer());
                } else if (count > 1) {
                    for (ByteBuffer part : buf.nioBuffers()) {
                        if (state.get() != BOUND) {
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

    private void complete() {
        if (!state.compareAndSet(BOUND, ENDED)) {
            return;
        }
        boolean reusable = keepAlive && written != null && written.isSuccess() && connection.channel().isActive();
        release(reusable); // first, so a request the handler starts next can reuse the connection
        client.ended(this);
        try {
            handler.onComplete();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a ResponseHandler threw from onComplete", e);
        }
    }

    private void failBound(Throwable error) {
        if (!state.compareAndSet(BOUND, ENDED)) {
            release(false); // cancelled or ended already; makes sure the connection is not reused
            return;
        }
        release(false);
        client.ended(this);
        notifyError(error);
    }

    private void notifyError(Throwable error) {
        try {
            handler.onError(error);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a ResponseHandler threw from onError", e);
        }
    }

    /** Gives the connection back to the pool once: kept if {@code reusable}, else closed. */
    private void release(boolean reusable) {
        if (released) {
            return;
        }
        released = true;
        ByteBuf buf;
        while ((buf = unread.pollFirst()) != null) {
            buf.release();
        }
        if (written == null) {
            ReferenceCountUtil.release(message);
        }
        Connection c = connection;
        c.detach();
        pool.release(c, reusable);
    }

    /** Runs {@code task} on the connection's event loop: at once if already there. */
    private Future<?> onLoop(Runnable task) {
        return onLoop(task, true);
    }

    /**
     * Runs {@code task} on the connection's event loop: at once if already there. If the loop no longer
     * runs tasks (its group was shut down under us), an ending task still runs here, as nothing else
     * will; other tasks are dropped.
     */
    private Future<?> onLoop(Runnable task, boolean ending) {
        EventLoop loop = connection.channel().eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return loop.newSucceededFuture(null);
        }
        try {
            return loop.submit(task);
        } catch (RejectedExecutionException e) {
            if (ending) {
                task.run();
            }
            return loop.newSucceededFuture(null);
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

    // ---- Exchange: any thread ------------------------------------------------------------------------

    @Override
    public void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("request(n) needs n > 0, was " + n);
        }
        demand.accumulateAndGet(n, (d, add) -> d + add < 0 ? Long.MAX_VALUE : d + add);
        if (state.get() == BOUND) {
            onLoop(this::pump, false);
        }
    }

    @Override
    public void cancel() {
        end(null);
    }

    /**
     * Ends the exchange from outside: cancelled ({@code error} null, the handler hears nothing) or
     * failed because the transport closes. Returns what to wait for, if anything.
     */
    Future<?> end(Throwable error) {
        while (true) {
            int s = state.get();
            if (s == ENDED) {
                return null;
            }
            if (s == PENDING) {
                if (error != null) {
                    if (failPending(error)) {
                        closeConnecting();
                        return null;
                    }
                } else if (state.compareAndSet(PENDING, ENDED)) {
                    endPending();
                    closeConnecting();
                    return null;
                }
            } else if (error != null) {
                return onLoop(() -> failBound(error));
            } else if (state.compareAndSet(BOUND, ENDED)) {
                client.ended(this);
                return onLoop(() -> release(false)); // mid-body: the connection's state is unknown, so close it
            }
        }
    }

    private void closeConnecting() {
        Channel ch = connecting;
        if (ch != null) {
            ch.close();
        }
    }

    /** The method and URI only; the body holds the token. */
    @Override
    public String toString() {
        String[] names = {"pending", "bound", "ended"};
        return "HttpExchange{POST " + pool.origin() + message.uri() + ", " + names[state.get()] + "}";
    }
}
