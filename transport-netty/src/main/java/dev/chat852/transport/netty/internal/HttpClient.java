package dev.chat852.transport.netty.internal;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ProxyCredentials;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.TransportRequest;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLException;

/**
 * The Netty transport's engine: the event loop group, one {@link HostPool} per origin, and the
 * exchanges in flight, so that {@link #close()} can end them.
 */
public final class HttpClient {
    /** Shutdown waits this long for more tasks before stopping: none, closing should be quick. */
    private static final long QUIET_PERIOD_MS = 0;
    /** Shutdown stops at the latest after this long. */
    private static final long SHUTDOWN_TIMEOUT_MS = 2_000;
    /** {@link #close()} waits at most this long for connections to close and threads to end. */
    private static final long CLOSE_WAIT_MS = 5_000;
    private static final AtomicInteger CLIENTS = new AtomicInteger();

    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final String threadNamePrefix;
    private final int maxConnectionsPerHost;
    private final SslContext suppliedSsl;
    /** Null: direct connections only. */
    private final ProxySelector proxySelector;
    /** Null: none. */
    private final ProxyCredentials proxyCredentials;
    private final Bootstrap bootstrap;
    private final ConcurrentHashMap<Origin, HostPool> pools = new ConcurrentHashMap<>();
    private final Set<HttpExchange> running = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object sslLock = new Object();
    private volatile SslContext ssl;

    /**
     * @param group the group to run on, or null to own one
     * @param maxConnectionsPerHost at least 1
     * @param sslContext the client TLS context, or null for the JDK's defaults (made on first use)
     * @param proxySelector chooses an HTTP proxy per origin; null for none
     * @param proxyCredentials sent with every CONNECT; null for none
     */
    public HttpClient(EventLoopGroup group, int maxConnectionsPerHost, SslContext sslContext,
            ProxySelector proxySelector, ProxyCredentials proxyCredentials) {
        this.ownsGroup = group == null;
        this.threadNamePrefix = "chat852-netty-" + CLIENTS.incrementAndGet() + "-";
        this.group = ownsGroup
                ? new MultiThreadIoEventLoopGroup(0, daemonThreads(threadNamePrefix), NioIoHandler.newFactory())
                : group;
        this.maxConnectionsPerHost = maxConnectionsPerHost;
        this.suppliedSsl = sslContext;
        this.ssl = sslContext;
        this.proxySelector = proxySelector;
        this.proxyCredentials = proxyCredentials;
        this.bootstrap = new Bootstrap()
                .group(this.group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)           // reads follow demand
                .option(ChannelOption.TCP_NODELAY, true)          // the request goes out in one write
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 0); // each exchange times its own connect
    }

    /**
     * Daemon threads {@code chat852-netty-C-N} (client C, thread N): an unclosed transport never keeps
     * the JVM alive, and each transport's threads can be told apart.
     */
    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger threads = new AtomicInteger();
        return task -> {
            Thread t = new FastThreadLocalThread(task, prefix + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The name every thread of an owned group starts with. */
    public String threadNamePrefix() {
        return threadNamePrefix;
    }

    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        if (closed.get()) {
            throw new IllegalStateException("the Netty transport is closed");
        }
        Origin origin = Origin.of(request.uri());
        if (origin.secure()) {
            sslContext(); // fails here, in the caller, if TLS cannot be set up at all
        }
        HostPool pool = pools.get(origin);
        if (pool == null) { // the proxy is chosen once per origin, outside the map's lock: selectors may do I/O
            InetSocketAddress proxy = proxyFor(origin);
            pool = pools.computeIfAbsent(origin, o -> new HostPool(this, o, maxConnectionsPerHost, bootstrap, proxy));
        }
        HttpExchange ex = new HttpExchange(this, pool, request, handler);
        running.add(ex);
        if (closed.get()) { // close() ran meanwhile and may not have seen ex
            ex.end(closedException());
            return ex;
        }
        try {
            ex.start();
        } catch (RuntimeException e) { // the event loop group was shut down by its owner
            running.remove(ex);
            throw new IllegalStateException("the Netty transport's event loop group is shut down", e);
        }
        return ex;
    }

    /**
     * The HTTP proxy the selector chooses for {@code origin} (the first it lists), resolved here, in
     * the caller's thread; null for a direct connection.
     *
     * @throws IllegalStateException if the selector chooses a SOCKS proxy, which this transport cannot use
     */
    private InetSocketAddress proxyFor(Origin origin) {
        if (proxySelector == null) {
            return null;
        }
        URI uri = URI.create(origin.toString());
        List<Proxy> proxies = proxySelector.select(uri);
        Proxy first = proxies == null || proxies.isEmpty() ? Proxy.NO_PROXY : proxies.get(0);
        if (first.type() == Proxy.Type.DIRECT) {
            return null;
        }
        if (first.type() != Proxy.Type.HTTP || !(first.address() instanceof InetSocketAddress)) {
            throw new IllegalStateException("the proxy selector chose " + first + " for " + uri
                    + "; the Netty transport can use HTTP proxies only");
        }
        InetSocketAddress address = (InetSocketAddress) first.address();
        return address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
    }

    /** The proxy credentials, or null. */
    ProxyCredentials proxyCredentials() {
        return proxyCredentials;
    }

    /** Where connect timeouts are scheduled. */
    EventExecutor timer() {
        return group.next();
    }

    /** The TLS context: the one supplied, or the JDK's with its default trust store, made once. */
    SslContext sslContext() {
        SslContext c = ssl;
        if (c != null) {
            return c;
        }
        synchronized (sslLock) {
            if (ssl == null) {
                try {
                    ssl = SslContextBuilder.forClient()
                            .sslProvider(SslProvider.JDK)
                            .endpointIdentificationAlgorithm("HTTPS")
                            .build();
                } catch (SSLException e) {
                    throw new IllegalStateException("could not set up TLS with the JDK's provider: " + e.getMessage(), e);
                }
            }
            return ssl;
        }
    }

    void ended(HttpExchange ex) {
        running.remove(ex);
    }

    static IOException closedException() {
        return new IOException("the Netty transport was closed");
    }

    /** Connections in use and idle, over all origins. */
    public PoolStats stats() {
        PoolStats total = new PoolStats(0, 0);
        for (HostPool p : pools.values()) {
            total = total.plus(p.stats());
        }
        return total;
    }

    /**
     * Fails running exchanges, closes every connection and, if the group is ours, shuts it down.
     * Waits (boundedly) for all that, unless called on one of the group's threads.
     */
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        List<Future<?>> waitFor = new ArrayList<>();
        for (HttpExchange ex : running) {
            Future<?> f = ex.end(closedException());
            if (f != null) {
                waitFor.add(f);
            }
        }
        List<ChannelFuture> closing = new ArrayList<>();
        pools.values().forEach(p -> p.close(closing));
        waitFor.addAll(closing);
        if (ownsGroup) {
            // tasks already queued (the failures above) still run before the threads stop
            waitFor.add(group.shutdownGracefully(QUIET_PERIOD_MS, SHUTDOWN_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        }
        if (onOwnThread()) {
            return; // waiting here would wait for ourselves
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        for (Future<?> f : waitFor) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !f.awaitUninterruptibly(left, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
    }

    private boolean onOwnThread() {
        for (EventExecutor e : group) {
            if (e.inEventLoop()) {
                return true;
            }
        }
        return false;
    }

    /** Settings and connection counts; nothing from requests. */
    @Override
    public String toString() {
        return "eventLoopGroup=" + (ownsGroup ? "own" : "supplied")
                + ", maxConnectionsPerHost=" + maxConnectionsPerHost
                + ", tls=" + (suppliedSsl == null ? "JDK default trust" : "supplied SslContext")
                + (proxyCredentials == null ? "" : ", proxy credentials set")
                + ", connections=" + stats()
                + (closed.get() ? ", closed" : "");
    }
}
