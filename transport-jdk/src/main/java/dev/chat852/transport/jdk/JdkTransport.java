package dev.chat852.transport.jdk;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ProxyCredentials;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import dev.chat852.transport.jdk.internal.DaemonThreads;
import dev.chat852.transport.jdk.internal.HttpClients;
import dev.chat852.transport.jdk.internal.HttpMessages;
import dev.chat852.transport.jdk.internal.JdkExchange;
import dev.chat852.transport.jdk.internal.ProxyAuthorization;
import java.io.IOException;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * A chat852 transport on the JDK's {@link java.net.http.HttpClient}, speaking HTTP/1.1. It streams: the
 * body reaches chat852 as the network delivers it, read by read, and only as fast as chat852 asks.
 *
 * <pre>{@code
 * try (JdkTransport transport = JdkTransport.builder().proxy(ProxySelector.of(proxyAddress)).build();
 *      ChatClient client = ChatClient.builder().transport(transport).token(token).build()) {
 *     client.stream("你好").text().forEach(System.out::print);
 * }
 * }</pre>
 *
 * <p>Without a transport of its own, {@code ChatClient} finds this one on the class or module path
 * (its provider is a {@link java.util.ServiceLoader} service, by the name {@value #NAME}) and closes it itself.
 *
 * <p>Each request's connect timeout is honoured exactly (the JDK client has only a client-wide one, so
 * the transport keeps one JDK client per distinct value, sharing its threads) and reported as
 * {@code ChatTimeoutException} of kind {@code CONNECT}. The request body, which holds the token, is
 * never logged.
 *
 * <p>Thread-safe; share one per program. {@link #close()} ends running exchanges with an error and
 * stops the transport's threads (daemon threads named {@code chat852-jdk-N}).
 */
public final class JdkTransport implements Transport {
    /** Its {@link #name()}: what the system property {@code chat852.transport} selects it by. */
    public static final String NAME = "jdk";

    private final ExecutorService ownExecutor;
    private final ProxyAuthorization proxyAuthorization;
    private final Set<JdkExchange> running = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    // -- guarded by lock
    private HttpClients clients;
    private boolean closed;

    private JdkTransport(Builder b) {
        this.ownExecutor = b.executor == null ? DaemonThreads.newPool() : null;
        this.clients = new HttpClients(b.executor == null ? ownExecutor : b.executor, b.proxy);
        this.proxyAuthorization = b.proxyCredentials == null ? null : new ProxyAuthorization(b.proxyCredentials, b.proxy);
    }

    /** A transport with the defaults: the JDK's default proxy selector and its own threads. */
    public static JdkTransport create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code "jdk"}. */
    @Override
    public String name() {
        return NAME;
    }

    /**
     * @throws IllegalStateException if the transport is closed
     * @throws IllegalArgumentException if a request header is one the JDK client sets itself
     *     ({@code Host}, {@code Content-Length}, {@code Connection}, …)
     * @throws IllegalStateException also if the request would go to an https server through a proxy with
     *     {@linkplain Builder#proxyCredentials credentials} the JDK refuses to send there (see that method)
     */
    @Override
    public Exchange execute(TransportRequest request, ResponseHandler handler) {
        Objects.requireNonNull(handler, "handler");
        HttpRequest httpRequest = HttpMessages.request(request, proxyAuthorization);
        JdkExchange exchange = new JdkExchange(request, handler, running::remove);
        HttpClient client;
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("this " + NAME + " transport is closed");
            }
            running.add(exchange);
            client = clients.get(request.connectTimeout());
        }
        exchange.start(client, httpRequest);
        return exchange;
    }

    /**
     * Ends the exchanges still running with an {@link IOException} (through their handlers' {@code onError})
     * and closes their connections; lets go of the JDK clients, whose selector threads and idle
     * connections then end; shuts down the transport's own threads (not an executor passed to the
     * builder). Idempotent.
     */
    @Override
    public void close() {
        List<JdkExchange> toAbort;
        HttpClients toRelease;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            toAbort = new ArrayList<>(running);
            toRelease = clients;
            clients = null;
        }
        for (JdkExchange exchange : toAbort) {
            exchange.abort(new IOException("the " + NAME + " transport was closed"));
        }
        toRelease.close();
        if (ownExecutor != null) {
            ownExecutor.shutdown(); // idle threads end at once; a task under way finishes first
        }
    }

    /**
     * Exchanges started and not yet over (completed, failed or cancelled); each holds a connection, or
     * is getting one. For tests that check none is leaked.
     */
    int runningExchanges() {
        return running.size();
    }

    /** The state only: never a request (its body holds the token), never a proxy password. */
    @Override
    public String toString() {
        synchronized (lock) {
            return "JdkTransport{" + (closed ? "closed" : "clients=" + clients.size()) + ", running="
                    + running.size() + (ownExecutor == null ? ", caller's executor" : "")
                    + (proxyAuthorization == null ? "" : ", proxy credentials set") + "}";
        }
    }

    /** Configures a {@link JdkTransport}; every setting has a default. */
    public static final class Builder {
        private ProxySelector proxy;
        private Executor executor;
        private ProxyCredentials proxyCredentials;

        private Builder() {
        }

        /** The proxy selector; default the JDK's ({@link ProxySelector#getDefault()}, system properties). */
        public Builder proxy(ProxySelector proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return this;
        }

        /**
         * A user name and password for the proxy the selector chooses, sent with every request that goes
         * through it (HTTP Basic, preemptively: there is no round trip for a 407 first); never to a server
         * reached directly. A proxy that refuses them answers 407, which reaches the client as an
         * {@code HttpStatusException} saying the proxy requires authentication.
         *
         * <p>For {@code https} servers the credentials go with the {@code CONNECT} that opens the
         * tunnel, and the JDK sends Basic credentials there only if the system property
         * {@code jdk.http.auth.tunneling.disabledSchemes} allows it: by default it is {@code Basic} (the
         * JDK's {@code conf/net.properties}), and the JDK reads it once, when its HTTP client is first
         * used. Start Java with {@code -Djdk.http.auth.tunneling.disabledSchemes=} to allow it (or use the
         * Netty transport, which has no such rule); otherwise such a request fails at once with an
         * exception that says this, instead of reaching the proxy without credentials.
         *
         * @throws IllegalArgumentException if the user name holds a colon or either holds a control character
         */
        public Builder proxyCredentials(String username, String password) {
            this.proxyCredentials = ProxyCredentials.of(username, password);
            return this;
        }

        /**
         * Where the JDK client runs its tasks and chat852's callbacks (unless the client has a callback
         * executor). The caller owns it: {@link JdkTransport#close()} does not shut it down. Default: the
         * transport's own pool of daemon threads, shut down by {@code close()}.
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public JdkTransport build() {
            return new JdkTransport(this);
        }
    }
}
