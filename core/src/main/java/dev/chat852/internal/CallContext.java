package dev.chat852.internal;

import dev.chat852.spi.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/** What every call of one client shares. The token is here and nowhere else: never print this. */
public final class CallContext {
    final URI endpoint;
    final String token;
    final String defaultModel;
    final Transport transport;
    final ScheduledExecutorService timer;
    final Executor callbackExecutor;
    final Metrics metrics;
    final Duration connectTimeout;
    final Duration firstByteTimeout;
    final Duration idleTimeout;
    final int maxHeaderBytes;
    final int maxAnswerBytes;
    final int maxRetries;
    final Duration retryBackoff;
    /** Calls not yet ended, so that closing the client can end them. */
    final Set<StreamCall> running = ConcurrentHashMap.newKeySet();

    public CallContext(URI endpoint, String token, String defaultModel, Transport transport,
            ScheduledExecutorService timer, Executor callbackExecutor, Metrics metrics, Duration connectTimeout,
            Duration firstByteTimeout, Duration idleTimeout, int maxHeaderBytes, int maxAnswerBytes, int maxRetries,
            Duration retryBackoff) {
        this.endpoint = endpoint;
        this.token = token;
        this.defaultModel = defaultModel;
        this.transport = transport;
        this.timer = timer;
        this.callbackExecutor = callbackExecutor;
        this.metrics = metrics;
        this.connectTimeout = connectTimeout;
        this.firstByteTimeout = firstByteTimeout;
        this.idleTimeout = idleTimeout;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxAnswerBytes = maxAnswerBytes;
        this.maxRetries = maxRetries;
        this.retryBackoff = retryBackoff;
    }

    public String defaultModel() {
        return defaultModel;
    }

    /** Fails every call still running: the client is closing. */
    public void failRunning() {
        for (StreamCall call : running) {
            call.clientClosed();
        }
    }

    @Override
    public String toString() {
        return "CallContext{" + endpoint + ", transport=" + transport.name() + "}";
    }
}
