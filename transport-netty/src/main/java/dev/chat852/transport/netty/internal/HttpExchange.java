package dev.chat852.transport.netty.internal;

import dev.chat852.ChatTimeoutException;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.TransportRequest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One request and its response over a pooled {@link Connection}.
 *
 * <p>States: {@code PENDING} while waiting for a connection, {@code BOUND} once it has one,
 * {@code ENDED} after the handler's last call or a cancel. Every change is a compare-and-set, so
 * exactly one of completion, failure, timeout, close and cancel wins. Before binding, only a failure
 * can reach the handler (from whichever thread lost the race to bind); once bound, every handler call
 * runs on the connection's event loop. So handler calls never overlap.
 *
 * <p>Its {@link ResponseReader} turns what the connection reads into the handler's calls, paced by demand.
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
    private final ResponseReader reader;
    // -- written before the state leaves PENDING, read after
    private volatile Channel connecting;
    private volatile ScheduledFuture<?> connectTimer;
    private volatile Connection connection;
    // -- the connection's event loop only
    private ChannelFuture written;
    private boolean released;

    HttpExchange(HttpClient client, HostPool pool, TransportRequest request, ResponseHandler handler) {
        this.client = client;
        this.pool = pool;
        this.handler = handler;
        this.connectTimeout = request.connectTimeout();
        this.reader = new ResponseReader(this, handler);
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

    /** Asks the pool for a connection. */
    void start() {
        pool.acquire(this);
    }

    /**
     * The pool has no idle connection for this exchange: it opens one or waits for one, so the connect
     * timeout starts now. Not armed for an idle connection taken at once, the common case, where the
     * timer would be scheduled on an event loop from the caller's thread (waking that loop) and
     * cancelled straight after.
     */
    void awaitConnection() {
        if (!connectTimeout.isZero() && state.get() == PENDING) {
            connectTimer = client.timer().schedule(this::connectTimedOut, connectTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
            if (state.get() != PENDING) { // ended meanwhile, perhaps before the timer could be seen to cancel
                cancelTimer();
            }
        }
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

    /**
     * Ends the exchange, if it has no connection yet, with an answer that is not the server's: the
     * status and headers of a proxy that refused the tunnel (407), and no body.
     */
    void answerPending(int status, Map<String, List<String>> headers) {
        if (!state.compareAndSet(PENDING, ENDED)) {
            return;
        }
        endPending();
        try {
            handler.onResponse(status, headers);
            handler.onComplete();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a ResponseHandler threw from onResponse or onComplete", e);
        }
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
        c.attach(reader);
        written = c.channel().writeAndFlush(message);
        written.addListener(f -> {
            if (!f.isSuccess()) {
                failBound(f.cause());
            }
        });
        reader.pump(); // reads the status line and headers
    }

    boolean bound() {
        return state.get() == BOUND;
    }

    Channel channel() {
        return connection.channel();
    }

    /** The response was read to its end: the handler completes, and the connection goes back if it can. */
    void complete() {
        if (!state.compareAndSet(BOUND, ENDED)) {
            return;
        }
        boolean reusable = reader.keepAlive() && written != null && written.isSuccess() && connection.channel().isActive();
        release(reusable); // first, so a request the handler starts next can reuse the connection
        client.ended(this);
        try {
            handler.onComplete();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "a ResponseHandler threw from onComplete", e);
        }
    }

    /** Fails the exchange once it has a connection, which is closed. */
    void failBound(Throwable error) {
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
        reader.releaseUnread();
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

    // ---- Exchange: any thread ------------------------------------------------------------------------

    @Override
    public void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("request(n) needs n > 0, was " + n);
        }
        reader.addDemand(n);
        if (state.get() == BOUND) {
            onLoop(reader::pump, false);
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
