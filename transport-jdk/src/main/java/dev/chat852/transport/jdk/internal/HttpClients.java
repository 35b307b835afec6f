package dev.chat852.transport.jdk.internal;

import java.lang.reflect.Method;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The JDK clients of one transport, one per connect timeout. {@link HttpClient} has only a client-wide
 * connect timeout, and chat852 sets it per request; in practice a program uses one or two values, so a
 * small cache of clients (each with its own connection pool and selector thread, all sharing one
 * executor) honours every value exactly. Past {@link #MAX_CACHED} distinct values a client is made for
 * the one exchange and left to the garbage collector, rather than letting the cache grow without bound.
 *
 * <p>Not thread-safe: the transport calls it under its lock.
 */
public final class HttpClients {
    static final int MAX_CACHED = 8;

    private final Executor executor;
    private final ProxySelector proxy;
    private final Map<Duration, HttpClient> byConnectTimeout = new HashMap<>();

    /** @param proxy {@code null} for the JDK's default proxy selector */
    public HttpClients(Executor executor, ProxySelector proxy) {
        this.executor = executor;
        this.proxy = proxy;
    }

    /** A client whose connect timeout is {@code connectTimeout} ({@link Duration#ZERO}: none). */
    public HttpClient get(Duration connectTimeout) {
        HttpClient client = byConnectTimeout.get(connectTimeout);
        if (client == null) {
            client = build(connectTimeout);
            if (byConnectTimeout.size() < MAX_CACHED) {
                byConnectTimeout.put(connectTimeout, client);
            }
        }
        return client;
    }

    public int size() {
        return byConnectTimeout.size();
    }

    /**
     * Lets go of every client. On JDK 17 a client has no {@code close()}: its selector thread ends and its
     * pooled connections close once it is unreachable and idle, so dropping it is the release. Where the
     * JDK has {@code HttpClient.shutdownNow()} (21 and later) it is called, which does the same at once.
     */
    public void close() {
        List<HttpClient> clients = new ArrayList<>(byConnectTimeout.values());
        byConnectTimeout.clear();
        clients.forEach(HttpClients::shutdownNow);
    }

    private HttpClient build(Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor);
        if (proxy != null) {
            b.proxy(proxy);
        }
        if (!connectTimeout.isZero()) {
            b.connectTimeout(connectTimeout);
        }
        return b.build();
    }

    private static void shutdownNow(HttpClient client) {
        Method shutdownNow;
        try {
            shutdownNow = HttpClient.class.getMethod("shutdownNow");
        } catch (NoSuchMethodException e) {
            return; // JDK 17 to 20
        }
        try {
            shutdownNow.invoke(client);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Best effort: dropping the client releases it too, only later.
        }
    }
}
