package dev.chat852.mock.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An HTTP/1.1 listener on its own event loop group, which it shuts down on {@link #close()}: one
 * group for accepting and serving, daemon threads named after the server, NIO transport.
 */
public final class NettyServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    /**
     * The group's threads: its termination future completes from inside the last thread, just before
     * that thread ends, so close() joins them too.
     */
    private final List<Thread> threads;

    private NettyServer(EventLoopGroup group, Channel channel, List<Thread> threads) {
        this.group = group;
        this.channel = channel;
        this.threads = threads;
    }

    /**
     * Listens on {@code host:port} (port 0: a free one), each connection getting a fresh handler from
     * {@code handlers} behind an HTTP codec and a request aggregator bounded at {@code maxRequestBytes}.
     */
    public static NettyServer start(String host, int port, String threadName, int maxRequestBytes,
                                    Supplier<ChannelHandler> handlers) {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        ThreadFactory named = new DefaultThreadFactory(threadName, true);
        ThreadFactory recorded = task -> {
            Thread t = named.newThread(task);
            threads.add(t);
            return t;
        };
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(0, recorded, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            pipeline(ch.pipeline(), maxRequestBytes, handlers.get());
                        }
                    })
                    .bind(host, port)
                    .syncUninterruptibly()
                    .channel();
            return new NettyServer(group, channel, threads);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port,
                    e instanceof IOException ? (IOException) e : new IOException(e.getMessage(), e));
        }
    }

    /**
     * What every connection gets: the HTTP codec, a request aggregator bounded at {@code maxRequestBytes}
     * (larger bodies get 413) that never answers ahead of the handler, then {@code handler}. The request fuzz test drives this same pipeline.
     */
    static void pipeline(ChannelPipeline pipeline, int maxRequestBytes, ChannelHandler handler) {
        pipeline.addLast(new HttpServerCodec(), new InOrderAggregator(maxRequestBytes), handler);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) channel.localAddress();
    }

    /**
     * {@code http://HOST:PORT} for clients: the wildcard address becomes loopback, IPv6 gets brackets.
     */
    public URI baseUri(String host) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + address().getPort());
    }

    /** Waits until {@link #close()} has finished. */
    public void awaitClose() throws InterruptedException {
        group.terminationFuture().await();
        for (Thread t : threads) {
            t.join();
        }
    }

    /** Stops listening, drops every connection and waits for the event loop threads to end. Idempotent. */
    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0 && t != Thread.currentThread()) {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop waiting; the threads end on their own
        }
    }
}
