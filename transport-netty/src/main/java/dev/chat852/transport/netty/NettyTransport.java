package dev.chat852.transport.netty;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ProxyCredentials;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import dev.chat852.transport.netty.internal.HttpClient;
import dev.chat852.transport.netty.internal.PoolStats;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.ssl.SslContext;
import java.net.ProxySelector;
import java.util.Objects;

/**
 * A chat852 {@link Transport} on Netty 4.2: HTTP/1.1 over NIO, TLS with the JDK's provider, pooled
 * keep-alive connections, and reads paced by the caller's demand so a slow consumer slows the server.
 *
 * <pre>{@code
 * try (NettyTransport netty = NettyTransport.create();
 *      ChatClient client = ChatClient.builder().transport(netty).token(token).build()) {
 *     client.stream("你好").text().forEach(System.out::print);
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one per application. {@link #close()} fails running exchanges, closes every
 * connection and, unless the event loop group was {@linkplain Builder#eventLoopGroup supplied}, stops
 * its I/O threads.
 */
public final class NettyTransport implements Transport {
    /** Its {@link #name()}: what the system property {@code chat852.transport} selects it by. */
    public static final String NAME = "netty";
    /** Connections kept per scheme, host and port unless {@link Builder#maxConnectionsPerHost} says otherwise. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_HOST = 64;

    private final HttpClient client;

    private NettyTransport(Builder b) {
        this.client = new HttpClient(b.eventLoopGroup, b.maxConnectionsPerHost, b.sslContext, b.proxy,
                b.proxyCredentials);
    }

    /** A transport with default settings: its own I/O threads, 64 connections per host, the JDK's trust store. */
    public static NettyTransport create() {
        return builder().build();
    }

    /** A builder starting from the defaults of {@link #create()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@link #NAME}. */
    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        return client.execute(request, handler);
    }

    /**
     * Fails running exchanges, closes all connections and, if this transport owns its event loop
     * group, shuts it down and waits (briefly) for its threads to end. Idempotent.
     */
    @Override
    public void close() {
        client.close();
    }

    /** Connections in use and kept idle, over all hosts; for tests. */
    PoolStats poolStats() {
        return client.stats();
    }

    /** The name every thread of this transport's own event loop group starts with; for tests. */
    String threadNamePrefix() {
        return client.threadNamePrefix();
    }

    /** The settings; no request data. */
    @Override
    public String toString() {
        return "NettyTransport{" + client + "}";
    }

    /** Configures a {@link NettyTransport}. */
    public static final class Builder {
        private EventLoopGroup eventLoopGroup;
        private int maxConnectionsPerHost = DEFAULT_MAX_CONNECTIONS_PER_HOST;
        private SslContext sslContext;
        private ProxySelector proxy = ProxySelector.getDefault();
        private ProxyCredentials proxyCredentials;

        private Builder() {
        }

        /**
         * Chooses an HTTP proxy for each scheme, host and port, as {@code JdkTransport.Builder.proxy}
         * does; default the JDK's ({@link ProxySelector#getDefault()}: the {@code http(s).proxyHost}
         * system properties, loopback excluded).
         * {@code ProxySelector.of(null)} connects directly. Connections go through the proxy as a
         * {@code CONNECT} tunnel, for {@code http} and {@code https} alike; the first proxy the selector
         * lists is used, and a SOCKS one fails the request. Proxy authentication: {@link #proxyCredentials}.
         */
        public Builder proxy(ProxySelector proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * A user name and password for the proxy the selector chooses, sent (HTTP Basic) with the
         * {@code CONNECT} that opens each tunnel, for {@code http} and {@code https} servers alike; the
         * server at the end of the tunnel never sees them. A proxy that refuses them answers 407, which
         * reaches the client as an {@code HttpStatusException} saying the proxy requires authentication,
         * as with the JDK transport.
         *
         * @throws IllegalArgumentException if the user name holds a colon or either holds a control character
         */
        public Builder proxyCredentials(String username, String password) {
            this.proxyCredentials = ProxyCredentials.of(username, password);
            return this;
        }

        /**
         * Runs I/O on this NIO group (a {@code MultiThreadIoEventLoopGroup} with
         * {@link NioIoHandler#newFactory()}) instead of one of the transport's own. The caller keeps
         * ownership: {@link NettyTransport#close()} does not shut it down. Handler callbacks then run on
         * its threads, which must not be blocked.
         *
         * @throws IllegalArgumentException if the group does not run NIO
         */
        public Builder eventLoopGroup(EventLoopGroup group) {
            Objects.requireNonNull(group, "group");
            if (!(group instanceof IoEventLoopGroup) || !((IoEventLoopGroup) group).isIoType(NioIoHandler.class)) {
                throw new IllegalArgumentException("the event loop group must run NIO (NioIoHandler); chat852's"
                        + " Netty transport opens NIO socket channels");
            }
            this.eventLoopGroup = group;
            return this;
        }

        /**
         * The most connections open at once to one scheme, host and port, in use or idle; default
         * {@value NettyTransport#DEFAULT_MAX_CONNECTIONS_PER_HOST}. Requests beyond it wait for a connection, within
         * their connect timeout.
         */
        public Builder maxConnectionsPerHost(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxConnectionsPerHost must be >= 1, was " + max);
            }
            this.maxConnectionsPerHost = max;
            return this;
        }

        /**
         * The TLS settings for {@code https} URIs, for example to trust a private CA:
         * {@code SslContextBuilder.forClient().trustManager(caCert).build()}. Default: the JDK's provider
         * and trust store, with host name verification.
         *
         * @throws IllegalArgumentException if the context is for servers
         */
        public Builder sslContext(SslContext context) {
            Objects.requireNonNull(context, "context");
            if (!context.isClient()) {
                throw new IllegalArgumentException("the SslContext must be a client context (SslContextBuilder.forClient())");
            }
            this.sslContext = context;
            return this;
        }

        /** A new transport; it starts no thread until its first request. */
        public NettyTransport build() {
            return new NettyTransport(this);
        }
    }
}
