package dev.chat852.transport.jdk.internal;

import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.TransportRequest;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One exchange on the JDK client: {@code sendAsync} with a body handler that reports the headers as
 * soon as they arrive and a body subscriber whose demand is the caller's.
 *
 * <p>Demand: {@link #request(long) request(n)} is {@link Flow.Subscription#request(long) request(n)} on
 * the body subscription (kept until that exists), so each read the JDK delivers, one
 * {@code List<ByteBuffer>}, uses one unit; its buffers reach the handler one {@code onBody} each. A read
 * with no bytes in it asks the JDK for one more instead, so it costs the caller nothing. The JDK keeps at
 * most a few reads ahead of demand and then stops reading the socket, so TCP pushes back on the server.
 *
 * <p>Cancel: stops delivery first, then cancels the body subscription (the JDK closes the connection of a
 * body not read to its end) and the {@code sendAsync} future (which, before the response, aborts the
 * connect or the request).
 */
public final class JdkExchange implements Exchange {
    private static final CompletableFuture<Void> NO_VALUE = CompletableFuture.completedFuture(null);

    private final Duration connectTimeout;
    private final SerialHandler out;
    private final Upstream upstream = new Upstream();
    private final Consumer<JdkExchange> onEnd;
    private final AtomicBoolean over = new AtomicBoolean();
    private final AtomicBoolean answered = new AtomicBoolean();
    private final String description;
    private volatile CompletableFuture<?> future;

    /** @param onEnd told once when the exchange is over: completed, failed or cancelled */
    public JdkExchange(TransportRequest request, ResponseHandler handler, Consumer<JdkExchange> onEnd) {
        this.connectTimeout = request.connectTimeout();
        this.onEnd = onEnd;
        this.description = request.toString();
        this.out = new SerialHandler(handler, this::ended);
    }

    /** Sends {@code request}; returns at once. */
    public void start(HttpClient client, HttpRequest request) {
        CompletableFuture<?> f;
        try {
            f = client.sendAsync(request, this::onHeaders);
        } catch (RuntimeException e) { // e.g. the executor refused, the transport closing meanwhile
            out.error(e);
            return;
        }
        future = f;
        if (over.get()) {
            f.cancel(true); // cancelled or aborted while sendAsync ran
            future = null;
            return;
        }
        f.whenComplete((response, error) -> {
            if (error != null) {
                Throwable failure = Failures.translate(error, connectTimeout);
                InetSocketAddress proxy = proxy(client, request.uri());
                Throwable diagnosed = Failures.diagnose(failure, proxy != null ? proxy : Failures.address(request.uri()),
                        connectTimeout);
                out.error(proxy == null ? diagnosed : Failures.atProxy(diagnosed, proxy));
            } else if (response instanceof HttpResponse && answered.compareAndSet(false, true)) {
                // The JDK answered without asking for a body handler: a proxy's 407 to the CONNECT of an
                // https tunnel, which it returns as the response, with no body to read.
                HttpResponse<?> proxyAnswer = (HttpResponse<?>) response;
                out.response(proxyAnswer.statusCode(), HttpMessages.headers(proxyAnswer.headers()));
                out.complete();
            }
        });
    }

    /** The HTTP proxy the client goes to for {@code uri}, or null if it connects to the server itself. */
    private static InetSocketAddress proxy(HttpClient client, URI uri) {
        List<Proxy> chosen = client.proxy().map(p -> p.select(uri)).orElse(List.of());
        Proxy first = chosen == null || chosen.isEmpty() ? Proxy.NO_PROXY : chosen.get(0);
        return first.type() == Proxy.Type.HTTP && first.address() instanceof InetSocketAddress
                ? (InetSocketAddress) first.address() : null;
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0, was " + n);
        }
        if (!over.get()) {
            upstream.request(n);
        }
    }

    @Override
    public void cancel() {
        out.stop();
        end();
    }

    /** Ends the exchange with {@code error} towards the handler, and closes its connection. */
    public void abort(Throwable error) {
        out.error(error);
        end();
    }

    private void ended(boolean completed) {
        if (completed) {
            if (over.compareAndSet(false, true)) {
                future = null;
                onEnd.accept(this);
            }
        } else {
            end();
        }
    }

    /** Idempotent: releases the connection unless the body was read to its end. */
    private void end() {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        upstream.cancel();
        CompletableFuture<?> f = future;
        future = null;
        if (f != null) {
            f.cancel(true);
        }
        onEnd.accept(this);
    }

    private HttpResponse.BodySubscriber<Void> onHeaders(HttpResponse.ResponseInfo info) {
        answered.set(true);
        out.response(info.statusCode(), HttpMessages.headers(info.headers()));
        return new Body();
    }

    /** The method and URI only, as {@link TransportRequest#toString()}: the body holds the token. */
    @Override
    public String toString() {
        return "JdkExchange{" + description + (over.get() ? ", over" : "") + "}";
    }

    private final class Body implements HttpResponse.BodySubscriber<Void> {
        /** Complete at once, so that {@code sendAsync} completes with the headers, not the body. */
        @Override
        public CompletionStage<Void> getBody() {
            return NO_VALUE;
        }

        /** A cancel or demand that came before the body started is passed on now. */
        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            upstream.set(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> read) {
            for (ByteBuffer b : read) {
                if (b.hasRemaining()) {
                    out.body(read);
                    return;
                }
            }
            upstream.request(1); // nothing for the handler: not the caller's read
        }

        @Override
        public void onError(Throwable error) {
            out.error(Failures.translate(error, connectTimeout));
        }

        @Override
        public void onComplete() {
            out.complete();
        }
    }
}
