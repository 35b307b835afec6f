package dev.chat852.internal;

import dev.chat852.spi.Transport;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** What every call of one client shares: its settings, transport, timer thread and metrics, and its running calls. */
public final class CallContext {
    final CallSettings settings;
    final Transport transport;
    final ClientTimer timer;
    /** Where consumer callbacks run; {@code null} for the transport's thread. */
    final Executor callbackExecutor;
    final Metrics metrics;
    /** Calls not yet ended, so that closing the client can end them. */
    private final Set<StreamCall> running = ConcurrentHashMap.newKeySet();

    /**
     * @param callbackExecutor where consumer callbacks run, or {@code null} for the transport's thread
     */
    public CallContext(CallSettings settings, Transport transport, ClientTimer timer,
            Executor callbackExecutor, Metrics metrics) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.callbackExecutor = callbackExecutor;
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    void started(StreamCall call) {
        timer.callStarted();
        running.add(call);
    }

    void ended(StreamCall call) {
        running.remove(call);
    }

    /** Fails every call still running: the client is closing. */
    public void failRunning() {
        for (StreamCall call : running) {
            call.clientClosed();
        }
    }

    @Override
    public String toString() {
        return "CallContext{" + settings + ", transport=" + transport.name() + "}";
    }
}
