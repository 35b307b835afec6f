package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatRequest;
import dev.chat852.TransportException;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.TransportRequest;
import dev.chat852.wire.Header;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One call, coordinating the pieces that do the work, in the order a call flows:
 * {@link RetryingExchange} sends the request (again, if an attempt fails before its response) under
 * the {@link CallTimers}; a {@link BodyReader} for the response's kind reads the body into
 * {@link CallStats} and the {@link EventPublisher}; the publisher hands the events to the one
 * consumer (one of {@link StreamHandle}'s adapters, or the caller's own subscriber) and asks for the
 * next read when they are delivered.
 *
 * <p>Flow control: a streamed body is read one read at a time, when the consumer has taken every event
 * of the last one and wants more, so a slow consumer slows the server down and at most one read's
 * events are ever queued. Threads: transport callbacks arrive one at a time on the transport's thread;
 * consumers request and cancel from any thread; timeouts fire on the client's timer thread. The call's
 * state is guarded by {@code lock}; nothing is called on a consumer while it is held.
 */
public final class StreamCall {
    private static final System.Logger LOG = System.getLogger("dev.chat852.ChatClient");

    private final CallContext ctx;
    private final String model;
    private final CallTimers timers;
    private final RetryingExchange exchange;
    private final EventPublisher events;
    private final CompletableFuture<ChatCompletion> future = new CompletableFuture<>();

    private final Object lock = new Object();
    // -- guarded by lock
    private final CallStats stats;
    /** Written under lock; volatile for the transport thread's quick look. */
    private volatile boolean done;
    private Throwable failure;
    private int status = -1;
    /** The body is read as the consumer asks (a stream), not all at once (a whole JSON answer). */
    private boolean paced;
    private boolean readOutstanding;
    /** Set by the transport's thread when the response begins. */
    private volatile BodyReader reader;
    /** The caller's handle's registration with the cleaner that cancels a dropped call; null until set. */
    private volatile Cleaner.Cleanable abandonment;

    private StreamCall(CallContext ctx, ChatRequest request, boolean stream) {
        this.ctx = ctx;
        CallSettings settings = ctx.settings;
        this.model = request.model().orElse(settings.defaultModel());
        this.stats = new CallStats(model, request.keepText());
        this.timers = new CallTimers(ctx.timer.executor(), settings.firstByteTimeout(request), settings.idleTimeout(request),
                timeout -> end(timeout, true));
        TransportRequest sent = new TransportRequest(settings.endpoint(),
                settings.requestHeaders(stream, ctx.transport.name()),
                settings.codec().encode(request, model, settings.token(), stream), settings.connectTimeout(request));
        this.exchange = new RetryingExchange(ctx.transport, sent, settings.retry(), timers, new Response());
        this.events = new EventPublisher(this::moreWanted, this::cancel, ctx.callbackExecutor);
    }

    /** Sends {@code request}; {@code stream} chooses a streamed or a whole answer. */
    public static StreamCall start(CallContext ctx, ChatRequest request, boolean stream) {
        StreamCall call = new StreamCall(ctx, request, stream);
        ctx.started(call);
        call.exchange.start();
        return call;
    }

    /** The consumer took every event and wants more: the next read of a streamed body. */
    private void moreWanted() {
        boolean streamed;
        synchronized (lock) {
            streamed = paced;
        }
        if (streamed) {
            requestRead(1);
        }
    }

    /** Asks the transport for more body, unless a read is already outstanding. */
    private void requestRead(long n) {
        synchronized (lock) {
            if (done || readOutstanding) {
                return;
            }
            readOutstanding = true;
        }
        timers.readRequested();
        exchange.request(n);
    }

    /** Ends the call, with {@code error} or ({@code null}) its answer; {@code abort} closes the connection. */
    private void end(Throwable error, boolean abort) {
        BodyReader r = reader;
        if (r != null && error != null && !(error instanceof CancellationException)) {
            r.streamFailed(); // held-back text first: the stream can no longer complete a marker
        }
        ChatCompletion completion = null;
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            failure = error;
            stats.ended();
            if (error == null) {
                completion = stats.snapshot(true);
                events.offer(new ChatEvent.Completed(completion));
            }
            events.end(error);
        }
        timers.stop();
        exchange.end(abort);
        ctx.ended(this);
        unwatch();
        Metrics.Outcome outcome = Metrics.Outcome.of(error);
        stats.record(ctx.metrics, ctx.transport.name(), outcome); // stats no longer change once done
        LOG.log(System.Logger.Level.DEBUG, () -> "call to " + ctx.settings.endpoint() + " (" + model + ") ended: "
                + outcome.tag() + (error == null ? "" : " (" + error.getMessage() + ")") + ", " + stats.summary());
        if (error == null) {
            future.complete(completion);
        } else {
            future.completeExceptionally(error);
        }
        events.drain();
    }

    /** The retrying exchange's one response, on the transport's thread. */
    private final class Response implements ResponseHandler {
        @Override
        public void onResponse(int code, Map<String, List<String>> headers) {
            BodyReader r = BodyReader.open(ctx.settings.codec(), code, headers, new Sink(), ctx.settings.maxHeaderBytes(),
                    ctx.settings.maxAnswerBytes());
            reader = r;
            synchronized (lock) {
                if (done) {
                    return;
                }
                status = code;
                paced = r.paced();
                stats.responseStarted();
            }
            if (r.paced()) {
                events.drain(); // asks for the first read if the consumer already wants events
            } else {
                requestRead(Long.MAX_VALUE); // bounded by the reader, not by the consumer
            }
        }

        @Override
        public void onBody(ByteBuffer chunk) {
            boolean streamed;
            synchronized (lock) {
                if (done) {
                    return;
                }
                stats.body(chunk.remaining());
                streamed = paced;
                readOutstanding = readOutstanding && !streamed;
            }
            timers.bodyArrived(!streamed);
            reader.onBody(chunk);
            if (streamed) {
                events.drain();
            }
        }

        @Override
        public void onComplete() {
            if (!done) {
                reader.onComplete();
            }
        }

        @Override
        public void onError(Throwable error) {
            String when;
            synchronized (lock) {
                when = status < 0 ? "before the response" : "after " + stats.bytes() + " bytes of the response";
            }
            end(error instanceof Chat852Exception ? error : ConnectionFailure.of(when, error, ctx.settings.endpoint()), false);
        }
    }

    /** What the body reader found. */
    private final class Sink implements CallSink {
        @Override
        public void text(String piece) {
            keep(new ChatEvent.TextDelta(piece));
        }

        @Override
        public void header(Header header) {
            keep(new ChatEvent.HeaderReceived(header));
        }

        /** Counts the event in the answer so far and queues it for the consumer, unless the call ended. */
        private void keep(ChatEvent event) {
            synchronized (lock) {
                if (!done) {
                    stats.event(event);
                    events.offer(event);
                }
            }
        }

        @Override
        public void details(JsonNode completion, String finishReason, ChatCompletion.Usage usage) {
            synchronized (lock) {
                if (!done) {
                    stats.details(completion, finishReason, usage);
                }
            }
        }

        @Override
        public void succeed() {
            end(null, false);
        }

        @Override
        public void fail(Chat852Exception error, boolean abort) {
            end(error, abort);
        }
    }

    // ---- the consumer's side: see StreamHandle ------------------------------------------------------

    /** Where the one consumer subscribes; a second gets {@code onError} with an {@link IllegalStateException}. */
    EventPublisher events() {
        return events;
    }

    /** The whole answer when it ends; attaches a consumer that reads everything if there is none. */
    public CompletableFuture<ChatCompletion> completion() {
        if (!events.reserved()) {
            events.subscribe(new DrainingSubscriber());
        }
        return future;
    }

    /** What has arrived so far; see {@code ChatStream.received()}. */
    ChatCompletion received() {
        synchronized (lock) {
            return stats.snapshot(done && failure == null);
        }
    }

    /** Stops the call and closes its connection, unless it has ended. */
    void cancel() {
        synchronized (lock) {
            if (done) {
                return; // an ended call stays as it ended
            }
            events.cancelled();
        }
        end(new CancellationException("the call was cancelled"), true);
    }

    /**
     * Its {@link StreamHandle} was garbage-collected: if nobody consumes the call, nobody ever will,
     * so it is cancelled and its connection closed. A consumer attached before keeps it going.
     */
    /**
     * {@code cleanable} cancels this call if its handle becomes garbage unconsumed. It refers to the
     * call until it runs, so it is run (doing nothing, as the call is done) when the call ends: left
     * registered, it would keep every ended call, with its buffers and text, until the collector found
     * the handle unreachable, and so through at least one collection (young pauses of 60 to 290 ms in
     * TransportBenchmark.shortCall, copying thousands of ended calls).
     */
    void watchedBy(Cleaner.Cleanable cleanable) {
        abandonment = cleanable;
        if (done) { // ended before the handle was made; end() may have looked before this was set
            unwatch();
        }
    }

    private void unwatch() {
        Cleaner.Cleanable c = abandonment;
        if (c != null) {
            c.clean(); // idempotent; abandoned() returns at once for a call that is done
        }
    }

    void abandoned() {
        synchronized (lock) {
            if (done || events.reserved()) {
                return;
            }
        }
        LOG.log(System.Logger.Level.WARNING, () -> "a ChatStream to " + ctx.settings.endpoint() + " was dropped without"
                + " being consumed or closed; the call was cancelled and its connection closed (close streams you do"
                + " not read, for example with try-with-resources)");
        cancel();
    }

    /** The client is closing: the call fails and its connection is closed. */
    void clientClosed() {
        end(new TransportException("the ChatClient was closed while this call was running", null), true);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ChatStream{model=" + model + ", transport=" + ctx.transport.name() + ", status=" + status
                    + ", bytes=" + stats.bytes() + ", done=" + done + "}";
        }
    }
}
