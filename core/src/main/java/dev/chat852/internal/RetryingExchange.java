package dev.chat852.internal;

import dev.chat852.TransportException;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportRequest;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call's exchange, over as many attempts as its {@link RetryPolicy} allows. An attempt that fails
 * before its response begins — the connection could not be opened or was lost, the server answered
 * 429, 502, 503 or 504, or the body ended before the status line — is dropped and the request sent
 * again after the backoff. Once a response has been handed on, nothing is retried, so the handler sees
 * exactly one attempt's response: what earlier attempts' exchanges still say is ignored.
 *
 * <p>Threads: attempts' callbacks come from the transport; {@link #request} and {@link #cancel} from
 * any thread; retries start on the client's timer thread.
 */
final class RetryingExchange implements Exchange {
    private static final System.Logger LOG = System.getLogger("dev.chat852.ChatClient");

    private final Transport transport;
    private final TransportRequest request;
    private final RetryPolicy policy;
    private final CallTimers timers;
    private final ResponseHandler handler;

    private final Object lock = new Object();
    // -- guarded by lock; read without it on the body path, where only the current attempt calls
    private volatile int attempt;
    private volatile boolean ended;
    private boolean responded;
    private Exchange current;
    /** Demand that arrived before the current attempt's exchange existed. */
    private long pendingDemand;
    private ScheduledFuture<?> retryTimer;

    /**
     * @param timers told when each attempt starts and is given up, and schedules retries
     * @param handler receives the one response that is handed on, or the call's failure
     */
    RetryingExchange(Transport transport, TransportRequest request, RetryPolicy policy, CallTimers timers,
            ResponseHandler handler) {
        this.transport = transport;
        this.request = request;
        this.policy = policy;
        this.timers = timers;
        this.handler = handler;
    }

    /** Sends the first attempt. */
    void start() {
        begin(0);
    }

    @Override
    public void request(long n) {
        Exchange ex;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ex = current;
            if (ex == null) { // execute() has not returned yet: begin() passes it on
                long sum = pendingDemand + n;
                pendingDemand = sum < 0 ? Long.MAX_VALUE : sum;
                return;
            }
        }
        ex.request(n);
    }

    /** Ends the exchange and closes the attempt's connection; no retry follows. */
    @Override
    public void cancel() {
        end(true);
    }

    /**
     * The call ended: no retry follows, and with {@code abort} the attempt's connection is closed;
     * without, the call ended on its own (the body was read, or the connection failed).
     */
    void end(boolean abort) {
        Exchange ex;
        synchronized (lock) {
            ended = true;
            ex = abort ? current : null;
            current = abort ? null : current;
            stopRetryTimer();
        }
        if (ex != null) {
            ex.cancel();
        }
    }

    /** Hands the request to the transport as attempt {@code n} (0 first, then one per retry). */
    private void begin(int n) {
        synchronized (lock) {
            if (ended || n != attempt) {
                return; // cancelled while waiting to retry
            }
            retryTimer = null;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> request + " transport=" + transport.name() + (n == 0 ? "" : " retry " + n));
        timers.attemptStarted();
        Exchange started;
        try {
            started = transport.execute(request, new Attempt(n));
        } catch (RuntimeException e) {
            end(false);
            handler.onError(new TransportException("the " + transport.name() + " transport could not send the request: "
                    + e.getMessage(), e));
            return;
        }
        long demand;
        boolean stale;
        synchronized (lock) {
            stale = ended || n != attempt; // cancelled, or already retrying, before execute() returned
            if (!stale) {
                current = started;
            }
            demand = stale ? 0 : pendingDemand;
            pendingDemand = 0;
        }
        if (stale) {
            started.cancel();
        } else if (demand > 0) {
            started.request(demand);
        }
    }

    /**
     * Gives up attempt {@code n} and schedules the next after the backoff (or {@code retryAfterNanos},
     * if the server asked for longer). Returns false if no attempt is left: the caller hands the
     * failure on instead.
     */
    private boolean retry(int n, String why, long retryAfterNanos) {
        Exchange toCancel;
        int next;
        long delay;
        synchronized (lock) {
            if (ended || responded || n != attempt || attempt >= policy.maxRetries()) {
                return false;
            }
            next = ++attempt;
            delay = Math.max(policy.delayNanos(next), retryAfterNanos);
            toCancel = current;
            current = null;
            pendingDemand = 0;
        }
        timers.attemptAbandoned();
        if (toCancel != null) {
            toCancel.cancel();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "call to " + request.uri() + ": " + why + "; retry " + next + " of "
                + policy.maxRetries() + " in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms");
        ScheduledFuture<?> t = timers.schedule(() -> begin(next), delay);
        if (t == null) {
            end(false);
            handler.onError(new TransportException("the ChatClient was closed while this call waited to retry", null));
            return true;
        }
        synchronized (lock) {
            if (ended) {
                t.cancel(false);
            } else {
                retryTimer = t;
            }
        }
        return true;
    }

    /** Guarded by lock. */
    private void stopRetryTimer() {
        if (retryTimer != null) {
            retryTimer.cancel(false);
            retryTimer = null;
        }
    }

    private boolean stale(int n) {
        return ended || n != attempt;
    }



    /** One attempt's view of the transport. */
    private final class Attempt implements ResponseHandler {
        private final int n;

        Attempt(int n) {
            this.n = n;
        }

        @Override
        public void onResponse(int status, Map<String, List<String>> headers) {
            if (RetryPolicy.retryableStatus(status)
                    && retry(n, "HTTP " + status, RetryPolicy.retryAfterNanos(headers.get("retry-after"), Instant.now()))) {
                return;
            }
            synchronized (lock) {
                if (stale(n)) {
                    return;
                }
                responded = true;
            }
            timers.responseStarted();
            handler.onResponse(status, headers);
        }

        @Override
        public void onBody(ByteBuffer chunk) {
            if (!stale(n)) {
                handler.onBody(chunk);
            }
        }

        @Override
        public void onComplete() {
            boolean early;
            synchronized (lock) {
                if (stale(n)) {
                    return;
                }
                early = !responded;
            }
            if (!early) {
                handler.onComplete();
            } else if (!retry(n, "the response ended before its status line", 0)) {
                handler.onError(new TransportException("the response ended before its status line", null));
            }
        }

        @Override
        public void onError(Throwable error) {
            boolean early;
            synchronized (lock) {
                if (n != attempt) {
                    return;
                }
                early = !responded;
            }
            if (early && RetryPolicy.retryableFailure(error)
                    && retry(n, "the connection failed before the response: " + ConnectionFailure.describe(error, request.uri()), 0)) {
                return;
            }
            handler.onError(error);
        }
    }
}
