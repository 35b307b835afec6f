package dev.chat852.transport.netty.internal;

import dev.chat852.spi.ProxyConnectException;
import dev.chat852.spi.ProxyCredentials;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.proxy.HttpProxyHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The connections to one {@link Origin}: at most {@code max} open, in use ("leased", counting those
 * being opened) or idle. Idle connections are reused most recent first; an exchange that finds none
 * and no room waits in line, and the next connection released or closed serves it.
 *
 * <p>Not Netty's {@code FixedChannelPool}: its bootstrap is fixed when the pool is made, so a
 * per-request connect timeout covering TCP, TLS and the wait for a free slot would need a second
 * mechanism anyway; it does not count idle connections; and its {@code close()} blocks on the event
 * loop. What is needed here is a deque, two counters and a queue under one lock.
 */
final class HostPool {
    /** The largest body slice the HTTP decoder emits: the most a socket read gives (Netty's adaptive maximum). */
    private static final int MAX_CONTENT_SLICE = 64 << 10;
    private final HttpClient client;
    private final Origin origin;
    private final int max;
    private final Bootstrap bootstrap;
    /** The HTTP proxy every connection tunnels through (CONNECT), or null for direct connections. */
    private final InetSocketAddress proxy;
    // -- guarded by this
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private final ArrayDeque<HttpExchange> waiting = new ArrayDeque<>();
    private int leased;
    private boolean closed;

    HostPool(HttpClient client, Origin origin, int max, Bootstrap bootstrap, InetSocketAddress proxy) {
        this.client = client;
        this.origin = origin;
        this.max = max;
        this.proxy = proxy;
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                initPipeline(ch);
            }
        });
        // Through a proxy the target's name goes to the proxy unresolved: the proxy resolves it.
        this.bootstrap = proxy == null ? b : b.resolver(NoopAddressResolverGroup.INSTANCE);
    }

    Origin origin() {
        return origin;
    }

    /** Finds {@code ex} a connection: an idle one, a new one, or the next one freed. */
    void acquire(HttpExchange ex) {
        Connection reuse = null;
        List<Connection> dead = null;
        boolean connect = false;
        synchronized (this) {
            if (!closed) {
                Connection c;
                while ((c = idle.pollLast()) != null) {
                    if (c.channel().isActive()) {
                        c.state = Connection.State.LEASED;
                        leased++;
                        reuse = c;
                        break;
                    }
                    c.state = Connection.State.GONE; // closed, and its close not processed yet
                    if (dead == null) {
                        dead = new ArrayList<>(2);
                    }
                    dead.add(c);
                }
                if (reuse == null) {
                    if (leased + idle.size() < max) {
                        leased++;
                        connect = true;
                    } else {
                        ex.awaitConnection(); // under the lock: no release can bind it before its timer is set
                        waiting.addLast(ex);
                    }
                }
            }
        }
        if (dead != null) {
            dead.forEach(c -> c.channel().close());
        }
        if (reuse != null) {
            if (!ex.bind(reuse)) {
                release(reuse, true);
            }
        } else if (connect) {
            ex.awaitConnection();
            connect(ex);
        } else if (isClosed()) {
            ex.failPending(HttpClient.closedException());
        }
    }

    /** {@code ex} ended while waiting for a connection. */
    synchronized void forget(HttpExchange ex) {
        waiting.remove(ex);
    }

    /**
     * A leased connection is free again: kept idle (or handed to the next waiting exchange) when
     * {@code reusable} and still open, else closed. Idempotent for a connection no longer leased.
     */
    void release(Connection c, boolean reusable) {
        HttpExchange next;
        boolean handOver = false;
        boolean close = false;
        synchronized (this) {
            if (c.state != Connection.State.LEASED) {
                return;
            }
            if (reusable && !closed && c.channel().isActive()) {
                next = nextWaiting();
                if (next != null) {
                    handOver = true; // stays leased, to the next exchange
                } else {
                    c.state = Connection.State.IDLE;
                    leased--;
                    idle.addLast(c);
                }
            } else {
                c.state = Connection.State.GONE;
                leased--;
                close = true;
                next = closed ? null : nextWaiting();
                if (next != null) {
                    leased++; // its slot goes to a new connection for the next exchange
                }
            }
        }
        if (close) {
            c.channel().close();
        } else if (!handOver) {
            c.channel().read(); // idle: one read pending, to see the server close the connection
        }
        if (next != null) {
            if (!handOver) {
                connect(next);
            } else if (!next.bind(c)) {
                release(c, true);
            }
        }
    }

    /** An idle connection was closed, most likely by the server. */
    void closedWhileIdle(Connection c) {
        synchronized (this) {
            if (c.state != Connection.State.IDLE) {
                return;
            }
            c.state = Connection.State.GONE;
            idle.remove(c);
        }
    }

    /** A connect attempt failed before it became a {@link Connection}: its slot is free. */
    private void connectFailed() {
        HttpExchange next;
        synchronized (this) {
            leased--;
            next = closed ? null : nextWaiting();
            if (next != null) {
                leased++;
            }
        }
        if (next != null) {
            connect(next);
        }
    }

    /** Guarded by this: the first waiting exchange still wanting a connection. */
    private HttpExchange nextWaiting() {
        HttpExchange ex;
        while ((ex = waiting.pollFirst()) != null) {
            if (ex.isPending()) {
                return ex;
            }
        }
        return null;
    }

    /**
     * Opens a connection (TCP, then the proxy's tunnel if there is one, then TLS for https) for
     * {@code ex}; its slot is already counted.
     */
    private void connect(HttpExchange ex) {
        ChannelFuture cf;
        try {
            cf = proxy == null ? bootstrap.connect(origin.connectHost(), origin.port())
                    : bootstrap.connect(InetSocketAddress.createUnresolved(origin.connectHost(), origin.port()));
        } catch (RuntimeException e) { // the event loop group is shut down
            connectFailed();
            ex.failPending(e);
            return;
        }
        ex.connecting(cf.channel());
        cf.addListener((ChannelFuture f) -> {
            Connection c = f.isSuccess() ? f.channel().pipeline().get(Connection.class) : null;
            if (c == null) {
                connectFailed();
                Throwable cause = f.cause() != null ? f.cause() : HttpClient.closedException();
                ex.failPending(proxy == null ? cause : new ProxyConnectException(proxy, null, cause));
                return;
            }
            HttpProxyHandler tunnel = f.channel().pipeline().get(HttpProxyHandler.class);
            if (tunnel == null) {
                secure(c, ex);
                return;
            }
            ProxyAnswer answer = f.channel().pipeline().get(ProxyAnswer.class);
            tunnel.connectFuture().addListener(t -> {
                if (answer != null && f.channel().pipeline().context(answer) != null) {
                    f.channel().pipeline().remove(answer);
                }
                if (t.isSuccess()) {
                    return;
                }
                release(c, false);
                if (answer != null && answer.authenticationRequired()) {
                    ex.answerPending(answer.status(), answer.headers()); // as the JDK client reports it
                } else { // the proxy's own answer (say 403) is the error worth reporting, not the TLS failure after it
                    ex.failPending(new ProxyConnectException(proxy, answer != null && answer.status() > 0
                            ? "refused the tunnel (HTTP " + answer.status() + ")" : "did not open the tunnel", t.cause()));
                }
            });
            after(tunnel.connectFuture(), c, ex, () -> secure(c, ex));
        });
    }

    /** TLS over the new connection for https, then it serves {@code ex}. */
    private void secure(Connection c, HttpExchange ex) {
        SslHandler tls = c.channel().pipeline().get(SslHandler.class);
        if (tls == null) {
            connected(c, ex);
            return;
        }
        after(tls.handshakeFuture(), c, ex, () -> connected(c, ex));
        c.channel().read(); // with auto-read off the handshake needs a first read; SslHandler asks for the rest
    }

    /** Runs {@code next} when {@code step} of opening {@code c} succeeds; otherwise gives up {@code c} and fails {@code ex}. */
    private void after(Future<?> step, Connection c, HttpExchange ex, Runnable next) {
        step.addListener(f -> {
            if (f.isSuccess()) {
                next.run();
            } else {
                release(c, false);
                ex.failPending(f.cause());
            }
        });
    }

    private void connected(Connection c, HttpExchange ex) {
        if (!ex.bind(c)) {
            release(c, true); // ex ended meanwhile: the new connection serves the next one, or waits idle
        }
    }

    private void initPipeline(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (proxy != null) {
            ProxyCredentials credentials = client.proxyCredentials();
            HttpProxyHandler tunnel = credentials == null ? new HttpProxyHandler(proxy)
                    : new HttpProxyHandler(proxy, credentials.username(), credentials.password());
            tunnel.setConnectTimeoutMillis(0); // the exchange's connect timeout covers the tunnel too
            p.addLast("proxy", tunnel);
            // between the tunnel's codec (added before it as it was added) and the tunnel itself
            p.addBefore("proxy", "proxy-answer", new ProxyAnswer());
        }
        if (origin.secure()) {
            SslHandler tls = client.sslContext().newHandler(ch.alloc(), origin.connectHost(), origin.port());
            tls.setHandshakeTimeoutMillis(0); // the exchange's connect timeout covers TCP and TLS together
            String host = origin.connectHost();
            if (!NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
                SSLEngine engine = tls.engine();
                SSLParameters params = engine.getSSLParameters();
                params.setServerNames(List.of(new SNIHostName(host)));
                engine.setSSLParameters(params);
            }
            p.addLast("tls", tls);
        }
        // content is cut into slices of at most one read (not 8 KiB): one onBody per read, still no copy
        p.addLast("http", new HttpClientCodec(new HttpDecoderConfig().setMaxChunkSize(MAX_CONTENT_SLICE), false, false));
        p.addLast("chat852", new Connection(this, ch));
    }

    synchronized PoolStats stats() {
        return new PoolStats(leased, idle.size());
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Refuses new exchanges and closes the idle connections; leased ones close as their exchanges end. */
    void close(List<ChannelFuture> closing) {
        List<Connection> toClose;
        synchronized (this) {
            closed = true;
            toClose = new ArrayList<>(idle);
            idle.clear();
            toClose.forEach(c -> c.state = Connection.State.GONE);
            waiting.clear(); // their exchanges are failed by the client
        }
        toClose.forEach(c -> closing.add(c.channel().close()));
    }

    @Override
    public String toString() {
        return origin + " " + stats();
    }
}
