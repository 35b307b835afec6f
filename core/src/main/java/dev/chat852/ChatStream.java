package dev.chat852;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

/**
 * A streamed answer in progress: returned by {@link ChatClient#stream} as soon as the request is sent.
 * Consume it in exactly one of three ways — {@link #listen callbacks}, a {@link #subscribe Flow
 * subscriber}, or a blocking {@link #events() Stream} — and/or ask for the whole {@link #completion()}.
 * Nothing is read from the network faster than the consumer asks for it.
 *
 * <pre>{@code
 * try (ChatStream stream = client.stream(ChatRequest.of("你好"))) {
 *     stream.text().forEach(System.out::print);    // blocks; throws a Chat852Exception on failure
 * }                                                // closing early cancels and frees the connection
 * }</pre>
 *
 * <p>All methods are thread-safe; {@link #cancel()} may be called from any thread at any time. A
 * stream dropped before any consumer was attached, and never closed, is cancelled when it is
 * garbage-collected (with a warning in the log), so that its connection is not held until the
 * client closes.
 */
public interface ChatStream extends Flow.Publisher<ChatEvent>, AutoCloseable {

    /**
     * Consumes the answer with callbacks.
     *
     * @throws IllegalStateException if the stream is already being consumed
     */
    void listen(ChatListener listener);

    /**
     * Consumes the answer as a {@link Flow.Publisher}: one subscriber, demand honoured; failures arrive
     * as {@code onError} with a {@link Chat852Exception}, cancellation as a
     * {@link java.util.concurrent.CancellationException}.
     *
     * <p>A second subscriber receives {@code onError} with an {@link IllegalStateException}.
     */
    @Override
    void subscribe(Flow.Subscriber<? super ChatEvent> subscriber);

    /**
     * Consumes the answer as a blocking, sequential {@code Stream} of events; a failure is thrown from
     * the terminal operation as the {@link Chat852Exception}. Closing the returned stream cancels the call.
     *
     * @throws IllegalStateException if the stream is already being consumed
     */
    Stream<ChatEvent> events();

    /** Like {@link #events()}, keeping only the text pieces. */
    Stream<String> text();

    /**
     * The whole answer, when it ends: completes exceptionally with the {@link Chat852Exception} if the
     * call fails, or with a {@link java.util.concurrent.CancellationException} if it is cancelled. If no
     * consumer is attached yet, this attaches one that reads everything, so call it after
     * {@link #listen}, {@link #subscribe} or {@link #events} if you want both.
     */
    CompletableFuture<ChatCompletion> completion();

    /** What has arrived so far (text, headers, timings): after a failure, everything received before it. */
    ChatCompletion received();

    /**
     * Stops the call and frees its connection. Consumers that are still attached get a
     * {@link java.util.concurrent.CancellationException} (listeners get nothing more). No effect once the
     * answer has ended.
     */
    void cancel();

    /** Cancels the call unless it has already ended. */
    @Override
    void close();
}
