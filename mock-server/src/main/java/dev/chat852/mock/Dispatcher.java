package dev.chat852.mock;

/**
 * Decides the response to each chat request, as a function of what arrived: the mock server's
 * scripting hook, like MockWebServer's {@code Dispatcher}. A request that passed the token check goes
 * to the dispatcher first; if it returns {@code null}, the recordings answer it as usual
 * ({@code enqueue}, {@code add}, then the builder's), and if none matches it gets the 404 that lists
 * them.
 *
 * <pre>{@code
 * server.dispatcher(request -> {
 *     String prompt = request.messages().get(request.messages().size() - 1).content();
 *     if (prompt.equals("slow")) {
 *         return MockResponse.builder(RecordedResponse.builder().chunk(0, "…").build())
 *                 .framing(MockResponse.Framing.CONTENT_LENGTH).build();
 *     }
 *     return null;                                       // the recordings answer the rest
 * });
 * }</pre>
 *
 * <p>It is called on the server's event loop, one request at a time per connection but concurrently
 * across connections: it must be thread-safe and must not block (to hold a response back, return one
 * with a {@link Gate}). What it throws becomes an HTTP 500 with a JSON error naming the exception, and
 * a warning in the log. The request it is given never holds the token.
 */
@FunctionalInterface
public interface Dispatcher {

    /**
     * The response to {@code request}, or {@code null} to leave it to the recordings. A request answered
     * here is listed in {@link MockServer#requests()} with {@link ReceivedRequest#matched()} {@code
     * "dispatcher"}.
     */
    MockResponse dispatch(ReceivedRequest request);
}
