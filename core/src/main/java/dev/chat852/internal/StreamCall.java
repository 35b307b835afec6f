package dev.chat852.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chat852.ApiException;
import dev.chat852.Chat852Exception;
import dev.chat852.ChatCompletion;
import dev.chat852.ChatEvent;
import dev.chat852.ChatListener;
import dev.chat852.ChatRequest;
import dev.chat852.ChatStream;
import dev.chat852.ChatTimeoutException;
import dev.chat852.HttpStatusException;
import dev.chat852.TransportException;
import dev.chat852.spi.Exchange;
import dev.chat852.spi.ResponseHandler;
import dev.chat852.spi.TransportRequest;
import dev.chat852.wire.Header;
import dev.chat852.wire.ProtocolException;
import dev.chat852.wire.StreamDecoder;
import dev.chat852.wire.StreamHandler;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * One call: sends the request, turns the response into events, and hands them to whichever consumer
 * is attached, as fast as it asks. Every consumer style is a {@link Flow.Subscriber} of this one
 * publisher, so demand, ordering, timeouts and cancellation work the same for all of them.
 *
 * <p>Flow control: the transport is asked for the next read only when the events of the previous one
 * have all been delivered and the consumer wants more, so a slow consumer slows the server down and at
 * most one read's events are ever queued. The idle timeout runs only while a read is outstanding.
 *
 * <p>Threads: transport callbacks arrive one at a time on the transport's thread; consumers request and
 * cancel from any thread; timeouts fire on the client's timer thread. State is guarded by {@code lock};
 * consumer callbacks run outside it, serialised by a work-in-progress counter, on the callback executor
 * when one is configured.
 */
public final class StreamCall implements ChatStream {
    private static final System.Logger LOG = System.getLogger("dev.chat852.ChatClient");
    /** Of an HTTP error body, only this much is read. */
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final int EXCERPT_CHARS = 1024;

    private enum Body { PENDING, STREAM, JSON, ERROR }

    private final CallContext ctx;
    private final String model;
    private final Duration firstByteTimeout;
    private final Duration idleTimeout;
    /** Sent again, as it is, by each retry. */
    private final TransportRequest request;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<ChatCompletion> future = new CompletableFuture<>();
    private final AtomicInteger wip = new AtomicInteger();
    /** Set before cancel() returns and read just before each consumer call, so none starts after it. */
    private volatile boolean cancelled;

    private final Object lock = new Object();
    // -- guarded by lock
    private Exchange exchange;
    private long pendingRead;
    private boolean readOutstanding;
    private Body body = Body.PENDING;
    private int status = -1;
    private final ArrayDeque<ChatEvent> queue = new ArrayDeque<>();
    private boolean consumerReserved;
    private Flow.Subscriber<? super ChatEvent> subscriber;
    private long demand;
    private boolean signalled;
    private boolean done;
    private Throwable failure;
    private final StringBuilder text = new StringBuilder();
    private final List<Header> headers = new ArrayList<>();
    private JsonNode raw;
    private long bytes;
    private long chunks;
    private long firstByteAt = -1;
    private long firstTextAt = -1;
    private long endAt = -1;
    private long waitingSince = -1;
    private ScheduledFuture<?> firstByteTimer;
    private ScheduledFuture<?> idleTimer;
    /** The attempt whose exchange may still reach this call; callbacks of earlier ones are ignored. */
    private int attempt;
    private ScheduledFuture<?> retryTimer;
    // -- transport thread only
    private StreamDecoder decoder;
    private ByteArrayOutputStream collected;

    private StreamCall(CallContext ctx, ChatRequest request, boolean stream) {
        this.ctx = ctx;
        this.model = request.model().orElse(ctx.defaultModel);
        this.firstByteTimeout = request.firstByteTimeout().orElse(ctx.firstByteTimeout);
        this.idleTimeout = request.idleTimeout().orElse(ctx.idleTimeout);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", stream ? "text/event-stream" : "application/json");
        this.request = new TransportRequest(ctx.endpoint, headers, RequestJson.encode(model, ctx.token, request, stream),
                request.connectTimeout().orElse(ctx.connectTimeout));
    }

    /** Sends {@code request}; {@code stream} chooses a streamed or a whole answer. */
    public static StreamCall start(CallContext ctx, ChatRequest request, boolean stream) {
        StreamCall call = new StreamCall(ctx, request, stream);
        ctx.running.add(call);
        call.begin(0);
        return call;
    }

    /** Hands the request to the transport as attempt {@code n} (0 first, then one per retry). */
    private void begin(int n) {
        synchronized (lock) {
            if (done || n != attempt) {
                return; // cancelled or closed while waiting to retry
            }
            retryTimer = null;
        }
        LOG.log(System.Logger.Level.DEBUG, () -> request + " model=" + model + " transport=" + ctx.transport.name()
                + (n == 0 ? "" : " retry " + n));
        if (!firstByteTimeout.isZero()) {
            ScheduledFuture<?> t = schedule(() -> firstByteExpired(n), firstByteTimeout.toNanos());
            synchronized (lock) {
                firstByteTimer = t;
            }
        }
        Exchange started;
        try {
            started = ctx.transport.execute(request, new Attempt(n));
        } catch (RuntimeException e) {
            fail(new TransportException("the " + ctx.transport.name() + " transport could not send the request: "
                    + e.getMessage(), e), false);
            return;
        }
        long read;
        boolean stale;
        synchronized (lock) {
            stale = done || n != attempt; // failed, or already retrying, before execute() returned
            if (!stale) {
                exchange = started;
            }
            read = stale ? 0 : pendingRead;
        }
        if (stale) {
            started.cancel();
        } else if (read > 0) {
            started.request(read);
        }
    }

    /**
     * Tries again if attempts are left and nothing of the answer was read: cancels the current
     * exchange and schedules the next attempt after the backoff (or {@code retryAfter}, if the server
     * asked for longer). Returns false if the caller must fail the call instead.
     */
    private boolean retry(int n, String why, long retryAfterNanos) {
        Exchange toCancel;
        int next;
        long delay;
        synchronized (lock) {
            if (done || n != attempt || attempt >= ctx.maxRetries || bytes > 0) {
                return false;
            }
            next = ++attempt;
            delay = Math.max(Retries.backoffNanos(ctx.retryBackoff, next), retryAfterNanos);
            toCancel = exchange;
            exchange = null;
            status = -1;
            body = Body.PENDING;
            readOutstanding = false;
            pendingRead = 0;
            cancel(firstByteTimer);
            firstByteTimer = null;
        }
        if (toCancel != null) {
            toCancel.cancel();
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "call to " + ctx.endpoint + ": " + why + "; retry " + next + " of "
                + ctx.maxRetries + " in " + TimeUnit.NANOSECONDS.toMillis(delay) + " ms");
        ScheduledFuture<?> t = schedule(() -> begin(next), delay);
        if (t == null) {
            fail(new TransportException("the ChatClient was closed while this call waited to retry", null), false);
            return true;
        }
        synchronized (lock) {
            retryTimer = t;
        }
        return true;
    }

    /** One attempt's view of the transport: what an earlier attempt's exchange still says is dropped. */
    private final class Attempt implements ResponseHandler {
        private final int n;

        Attempt(int n) {
            this.n = n;
        }

        @Override
        public void onResponse(int status, Map<String, List<String>> headers) {
            StreamCall.this.onResponse(n, status, headers);
        }

        @Override
        public void onBody(ByteBuffer chunk) {
            StreamCall.this.onBody(n, chunk);
        }

        @Override
        public void onComplete() {
            StreamCall.this.onComplete(n);
        }

        @Override
        public void onError(Throwable error) {
            StreamCall.this.onError(n, error);
        }
    }

    // ---- the transport's side, for the current attempt ---------------------------------------------

    private void onResponse(int n, int status, Map<String, List<String>> responseHeaders) {
        if (Retries.retryableStatus(status)
                && retry(n, "HTTP " + status, Retries.retryAfterNanos(responseHeaders.get("retry-after")))) {
            return;
        }
        List<String> types = responseHeaders.getOrDefault("content-type", List.of());
        boolean json = !types.isEmpty() && types.get(0).toLowerCase(Locale.ROOT).startsWith("application/json");
        boolean ok = status >= 200 && status < 300;
        Body kind = ok && !json ? Body.STREAM : ok ? Body.JSON : Body.ERROR;
        synchronized (lock) {
            if (done || n != attempt) {
                return;
            }
            this.status = status;
            firstByteAt = System.nanoTime();
            cancel(firstByteTimer);
            body = kind;
        }
        if (kind == Body.STREAM) {
            decoder = new StreamDecoder(new Decoded(), ctx.maxHeaderBytes);
            drain(); // asks for the first read if the consumer already wants events
        } else {
            collected = new ByteArrayOutputStream();
            requestRead(Long.MAX_VALUE); // bounded by maxAnswerBytes / MAX_ERROR_BYTES, not by the consumer
        }
    }

    private void onBody(int n, ByteBuffer chunk) {
        Body kind;
        long before;
        synchronized (lock) {
            if (done || n != attempt) {
                return;
            }
            before = bytes;
            bytes += chunk.remaining();
            chunks++;
            kind = body;
            if (kind == Body.STREAM) {
                readOutstanding = false;
                waitingSince = -1;
            } else {
                waitingSince = System.nanoTime();
            }
        }
        if (kind == Body.STREAM) {
            long room = ctx.maxAnswerBytes - before;
            boolean tooLong = chunk.remaining() > room;
            decoder.feed(tooLong ? chunk.slice(chunk.position(), (int) room) : chunk); // what fits is delivered
            drain();
            if (tooLong) {
                fail(answerTooLarge(), true);
            }
            return;
        }
        int limit = kind == Body.JSON ? ctx.maxAnswerBytes : MAX_ERROR_BYTES;
        int room = limit - collected.size();
        if (kind == Body.JSON && chunk.remaining() > room) {
            fail(answerTooLarge(), true);
            return;
        }
        int take = Math.min(room, chunk.remaining());
        byte[] b = new byte[take];
        chunk.get(b);
        collected.write(b, 0, take);
        if (kind == Body.ERROR && collected.size() >= limit) {
            failWithErrorBody(); // enough for an excerpt: stop reading
        }
    }

    private Chat852Exception answerTooLarge() {
        return new Chat852Exception("the answer is longer than the client's bound of " + ctx.maxAnswerBytes
                + " bytes (ChatClient.Builder.maxAnswerBytes); the connection was closed");
    }

    private void onComplete(int n) {
        Body kind;
        synchronized (lock) {
            if (done || n != attempt) {
                return;
            }
            kind = body;
        }
        switch (kind) {
            case STREAM:
                decoder.finish(); // ends in Decoded.onEnd or Decoded.onError
                break;
            case JSON:
                completeFromJson();
                break;
            case ERROR:
                failWithErrorBody();
                break;
            default:
                if (!retry(n, "the response ended before its status line", 0)) {
                    fail(new TransportException("the response ended before its status line", null), false);
                }
        }
    }

    private void onError(int n, Throwable error) {
        Chat852Exception e;
        long received;
        int seen;
        synchronized (lock) {
            if (n != attempt) {
                return;
            }
            received = bytes;
            seen = status;
        }
        if (error instanceof Chat852Exception) {
            e = (Chat852Exception) error;
        } else {
            String when = seen < 0 ? "before the response" : "after " + received + " bytes of the response";
            e = new TransportException("the connection failed " + when + ": " + describe(error), error);
        }
        if (seen < 0 && Retries.retryableFailure(e) && retry(n, e.getMessage(), 0)) {
            return;
        }
        fail(e, false);
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** The decoder's output, on the transport thread. */
    private final class Decoded implements StreamHandler {
        @Override
        public void onText(String piece) {
            synchronized (lock) {
                if (done) {
                    return;
                }
                if (firstTextAt < 0) {
                    firstTextAt = System.nanoTime();
                }
                text.append(piece);
                queue.add(new ChatEvent.TextDelta(piece));
            }
        }

        @Override
        public void onHeader(Header header) {
            synchronized (lock) {
                if (done) {
                    return;
                }
                headers.add(header);
                queue.add(new ChatEvent.HeaderReceived(header));
            }
        }

        @Override
        public void onEnd() {
            succeed();
        }

        @Override
        public void onError(ProtocolException error) {
            fail(error, true);
        }
    }

    /** A JSON answer on HTTP 2xx: the non-streamed completion, or the API's error wrapper. */
    private void completeFromJson() {
        String body = collected.toString(StandardCharsets.UTF_8);
        JsonNode root = Json.parseOrNull(body);
        JsonNode code = root == null ? null : root.get("code");
        if (code == null || !code.canConvertToInt()) {
            fail(new Chat852Exception("the server answered HTTP " + status + " with JSON that is not the API's"
                    + " {code, message, data} wrapper: " + excerpt(body)), false);
            return;
        }
        if (code.intValue() != 200) {
            fail(new ApiException(code.intValue(), root.path("message").asText(""), status), false);
            return;
        }
        JsonNode data = root.path("data");
        JsonNode completion = data.path("completion");
        String answer = completion.path("choices").path(0).path("message").path("content").asText("");
        JsonNode info = data.get("info");
        synchronized (lock) {
            if (done) {
                return;
            }
            raw = completion.isMissingNode() ? null : completion;
            if (info != null && !info.isNull()) {
                Header header = new Header(info.toString(), info);
                headers.add(header);
                queue.add(new ChatEvent.HeaderReceived(header));
            }
            if (!answer.isEmpty()) {
                firstTextAt = System.nanoTime();
                text.append(answer);
                queue.add(new ChatEvent.TextDelta(answer));
            }
        }
        succeed();
    }

    /** A non-2xx answer: the API's error wrapper if it is one, else the status and an excerpt. */
    private void failWithErrorBody() {
        String body = collected.toString(StandardCharsets.UTF_8);
        JsonNode root = Json.parseOrNull(body);
        JsonNode code = root == null ? null : root.get("code");
        if (code != null && code.canConvertToInt() && root.has("message")) {
            fail(new ApiException(code.intValue(), root.path("message").asText(""), status), true);
        } else {
            fail(new HttpStatusException(status, excerpt(body)), true);
        }
    }

    private static String excerpt(String body) {
        String trimmed = body.strip();
        return trimmed.length() <= EXCERPT_CHARS ? trimmed : trimmed.substring(0, EXCERPT_CHARS) + "…";
    }

    // ---- the end of a call ---------------------------------------------------------------------------

    private void succeed() {
        ChatCompletion completion;
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            endAt = System.nanoTime();
            stopTimers();
            completion = snapshot(true);
            queue.add(new ChatEvent.Completed(completion));
        }
        ctx.running.remove(this);
        finished(Metrics.Outcome.SUCCESS, null);
        future.complete(completion);
        drain();
    }

    /** Ends the call with {@code error}; {@code abort} closes the connection (the body is not finished). */
    private void fail(Throwable error, boolean abort) {
        Exchange toCancel;
        synchronized (lock) {
            if (done) {
                return;
            }
            done = true;
            failure = error;
            endAt = System.nanoTime();
            stopTimers();
            toCancel = abort ? exchange : null;
            if (error instanceof CancellationException) {
                queue.clear(); // cancelled: nothing more is delivered
            }
        }
        ctx.running.remove(this);
        if (toCancel != null) {
            toCancel.cancel();
        }
        finished(outcome(error), error);
        future.completeExceptionally(error);
        drain();
    }

    private void finished(Metrics.Outcome outcome, Throwable error) {
        long firstByte;
        long firstText;
        long duration;
        long received;
        long reads;
        synchronized (lock) {
            firstByte = firstByteAt < 0 ? -1 : firstByteAt - startNanos;
            firstText = firstTextAt < 0 ? -1 : firstTextAt - startNanos;
            duration = endAt - startNanos;
            received = bytes;
            reads = chunks;
        }
        ctx.metrics.record(model, ctx.transport.name(), outcome, firstByte, firstText, duration, received, reads);
        LOG.log(System.Logger.Level.DEBUG, () -> "call to " + ctx.endpoint + " ended: " + outcome.tag()
                + (error == null ? "" : " (" + error.getMessage() + ")") + ", " + received + " bytes in "
                + TimeUnit.NANOSECONDS.toMillis(duration) + " ms");
    }

    private static Metrics.Outcome outcome(Throwable error) {
        if (error instanceof CancellationException) {
            return Metrics.Outcome.CANCELLED;
        } else if (error instanceof ApiException) {
            return Metrics.Outcome.API_ERROR;
        } else if (error instanceof HttpStatusException) {
            return Metrics.Outcome.HTTP_ERROR;
        } else if (error instanceof ProtocolException) {
            return Metrics.Outcome.PROTOCOL_ERROR;
        } else if (error instanceof ChatTimeoutException) {
            return Metrics.Outcome.TIMEOUT;
        }
        return Metrics.Outcome.TRANSPORT_ERROR;
    }

    /** Guarded by lock. */
    private ChatCompletion snapshot(boolean finished) {
        long now = endAt >= 0 ? endAt : System.nanoTime();
        ChatCompletion.Builder b = ChatCompletion.builder()
                .model(model)
                .text(text.toString())
                .raw(raw)
                .finished(finished)
                .timeToFirstByte(firstByteAt < 0 ? null : Duration.ofNanos(firstByteAt - startNanos))
                .timeToFirstText(firstTextAt < 0 ? null : Duration.ofNanos(firstTextAt - startNanos))
                .duration(Duration.ofNanos(now - startNanos))
                .bytesReceived(bytes)
                .chunksReceived(chunks);
        headers.forEach(b::header);
        return b.build();
    }

    // ---- timeouts ------------------------------------------------------------------------------------

    private ScheduledFuture<?> schedule(Runnable task, long nanos) {
        try {
            return ctx.timer.schedule(task, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null; // the client is closing: its transport ends the call
        }
    }

    private void firstByteExpired(int n) {
        synchronized (lock) {
            if (status >= 0 || n != attempt) {
                return;
            }
        }
        fail(new ChatTimeoutException(ChatTimeoutException.Kind.FIRST_BYTE, firstByteTimeout), true);
    }

    /** Guarded by lock: makes sure an idle check is scheduled while a read is outstanding. */
    private void armIdle() {
        if (idleTimeout.isZero() || idleTimer != null || done) {
            return;
        }
        idleTimer = schedule(this::idleCheck, idleTimeout.toNanos());
    }

    /** Re-arms for the rest of the period rather than per read, so busy streams cost one timer per period. */
    private void idleCheck() {
        synchronized (lock) {
            idleTimer = null;
            if (done || waitingSince < 0) {
                return;
            }
            long waited = System.nanoTime() - waitingSince;
            if (waited < idleTimeout.toNanos()) {
                idleTimer = schedule(this::idleCheck, idleTimeout.toNanos() - waited);
                return;
            }
        }
        fail(new ChatTimeoutException(ChatTimeoutException.Kind.IDLE, idleTimeout), true);
    }

    /** Guarded by lock. */
    private void stopTimers() {
        cancel(firstByteTimer);
        cancel(idleTimer);
        cancel(retryTimer);
        firstByteTimer = null;
        idleTimer = null;
        retryTimer = null;
    }

    private static void cancel(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    // ---- flow control and delivery -------------------------------------------------------------------

    /** Asks the transport for more body, unless a read is already outstanding. */
    private void requestRead(long n) {
        Exchange ex;
        synchronized (lock) {
            if (done || readOutstanding) {
                return;
            }
            readOutstanding = true;
            if (waitingSince < 0) {
                waitingSince = System.nanoTime();
            }
            armIdle();
            ex = exchange;
            if (ex == null) {
                pendingRead = n; // execute() has not returned yet: begin() passes it on
                return;
            }
        }
        ex.request(n);
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return; // the thread already draining will see the new work
        }
        Executor executor = ctx.callbackExecutor;
        if (executor == null) {
            drainLoop();
            return;
        }
        try {
            executor.execute(this::drainLoop);
        } catch (RejectedExecutionException e) {
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        while (true) {
            deliverEvents();
            Flow.Subscriber<? super ChatEvent> toSignal = null;
            Throwable error = null;
            boolean read = false;
            synchronized (lock) {
                if (subscriber != null && !signalled && queue.isEmpty()) {
                    if (done) {
                        signalled = true;
                        toSignal = subscriber;
                        error = failure;
                    } else if (demand > 0 && body == Body.STREAM) {
                        read = true;
                    }
                }
            }
            if (toSignal != null) {
                if (error == null) {
                    toSignal.onComplete();
                } else {
                    toSignal.onError(error);
                }
            }
            if (read) {
                requestRead(1);
            }
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void deliverEvents() {
        while (true) {
            Flow.Subscriber<? super ChatEvent> s;
            ChatEvent event;
            synchronized (lock) {
                s = subscriber;
                if (s == null || signalled || demand == 0 || queue.isEmpty()) {
                    return;
                }
                event = queue.poll();
                if (demand != Long.MAX_VALUE) {
                    demand--;
                }
            }
            if (cancelled) {
                return;
            }
            try {
                s.onNext(event);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "a chat stream consumer threw; cancelling the call", e);
                synchronized (lock) {
                    signalled = true; // a consumer that threw gets no further signals
                }
                cancel();
                return;
            }
        }
    }

    // ---- ChatStream: the consumer's side -------------------------------------------------------------

    @Override
    public void subscribe(Flow.Subscriber<? super ChatEvent> s) {
        if (!reserveConsumer()) {
            s.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            s.onError(new IllegalStateException("this ChatStream already has a consumer: a stream can be consumed once"));
            return;
        }
        s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    synchronized (lock) {
                        signalled = true;
                    }
                    StreamCall.this.cancel();
                    s.onError(new IllegalArgumentException("Flow rule 3.9: request(n) needs n > 0, was " + n));
                    return;
                }
                synchronized (lock) {
                    long sum = demand + n;
                    demand = sum < 0 ? Long.MAX_VALUE : sum;
                }
                drain();
            }

            @Override
            public void cancel() {
                synchronized (lock) {
                    signalled = true; // a subscriber that cancelled gets nothing more
                }
                StreamCall.this.cancel();
            }
        });
        synchronized (lock) {
            subscriber = s;
        }
        drain();
    }

    private boolean reserveConsumer() {
        synchronized (lock) {
            if (consumerReserved) {
                return false;
            }
            consumerReserved = true;
            return true;
        }
    }

    private void checkNotConsumed() {
        synchronized (lock) {
            if (consumerReserved) {
                throw new IllegalStateException("this ChatStream already has a consumer: a stream can be consumed once");
            }
        }
    }

    @Override
    public void listen(ChatListener listener) {
        checkNotConsumed();
        subscribe(new ListenerSubscriber(listener));
    }

    @Override
    public Stream<ChatEvent> events() {
        checkNotConsumed();
        BlockingEvents iterator = new BlockingEvents();
        subscribe(iterator);
        Spliterator<ChatEvent> spliterator = Spliterators.spliteratorUnknownSize(iterator,
                Spliterator.ORDERED | Spliterator.NONNULL);
        return StreamSupport.stream(spliterator, false).onClose(this::close);
    }

    @Override
    public Stream<String> text() {
        return events().filter(e -> e instanceof ChatEvent.TextDelta).map(e -> ((ChatEvent.TextDelta) e).text());
    }

    @Override
    public CompletableFuture<ChatCompletion> completion() {
        boolean attach;
        synchronized (lock) {
            attach = !consumerReserved;
        }
        if (attach) {
            subscribe(new Draining());
        }
        return future;
    }

    @Override
    public ChatCompletion received() {
        synchronized (lock) {
            return snapshot(done && failure == null);
        }
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            if (done) {
                return; // an ended call stays as it ended
            }
            cancelled = true;
        }
        fail(new CancellationException("the call was cancelled"), true);
    }

    @Override
    public void close() {
        cancel();
    }

    /**
     * Its {@link StreamHandle} was garbage-collected: if nobody consumes the call, nobody ever will,
     * so it is cancelled and its connection closed. A consumer attached before keeps it going.
     */
    void abandoned() {
        synchronized (lock) {
            if (done || consumerReserved) {
                return;
            }
        }
        LOG.log(System.Logger.Level.WARNING, () -> "a ChatStream to " + ctx.endpoint + " was dropped without being"
                + " consumed or closed; the call was cancelled and its connection closed (close streams you do not"
                + " read, for example with try-with-resources)");
        cancel();
    }

    /** The client is closing: the call fails and its connection is closed. */
    void clientClosed() {
        fail(new TransportException("the ChatClient was closed while this call was running", null), true);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "ChatStream{model=" + model + ", transport=" + ctx.transport.name() + ", status=" + status
                    + ", bytes=" + bytes + ", done=" + done + "}";
        }
    }

    // ---- the consumers -------------------------------------------------------------------------------

    /** Callbacks, with unbounded demand: back-pressure still holds, as reads follow delivery. */
    private static final class ListenerSubscriber implements Flow.Subscriber<ChatEvent> {
        private final ChatListener listener;

        ListenerSubscriber(ChatListener listener) {
            this.listener = listener;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ChatEvent event) {
            if (event instanceof ChatEvent.TextDelta) {
                listener.onText(((ChatEvent.TextDelta) event).text());
            } else if (event instanceof ChatEvent.HeaderReceived) {
                listener.onHeader(((ChatEvent.HeaderReceived) event).header());
            } else {
                listener.onComplete(((ChatEvent.Completed) event).completion());
            }
        }

        @Override
        public void onError(Throwable error) {
            if (error instanceof Chat852Exception) {
                listener.onError((Chat852Exception) error);
            } // CancellationException: the caller cancelled, and listeners hear nothing more
        }

        @Override
        public void onComplete() {
        }
    }

    /** Reads everything; for {@link #completion()} without another consumer. */
    private static final class Draining implements Flow.Subscriber<ChatEvent> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(ChatEvent event) {
        }

        @Override
        public void onError(Throwable error) {
        }

        @Override
        public void onComplete() {
        }
    }

    /** The blocking iterator behind {@link #events()}: asks for one event ahead of the caller. */
    private static final class BlockingEvents implements Flow.Subscriber<ChatEvent>, Iterator<ChatEvent> {
        private static final Object END = new Object();
        private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
        private volatile Flow.Subscription subscription;
        private Object next;
        private boolean finished;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(ChatEvent event) {
            arrived.add(event);
        }

        @Override
        public void onError(Throwable error) {
            arrived.add(error);
        }

        @Override
        public void onComplete() {
            arrived.add(END);
        }

        @Override
        public boolean hasNext() {
            if (next != null) {
                return true;
            }
            if (finished) {
                return false;
            }
            Object o;
            try {
                o = arrived.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                subscription.cancel();
                throw new CancellationException("interrupted while waiting for the answer");
            }
            if (o == END) {
                finished = true;
                return false;
            }
            if (o instanceof Throwable) {
                finished = true;
                if (o instanceof RuntimeException) {
                    throw (RuntimeException) o;
                }
                throw new Chat852Exception("the call failed", (Throwable) o);
            }
            next = o;
            subscription.request(1);
            return true;
        }

        @Override
        public ChatEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ChatEvent e = (ChatEvent) next;
            next = null;
            return e;
        }
    }
}
