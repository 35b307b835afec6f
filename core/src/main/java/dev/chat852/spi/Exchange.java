package dev.chat852.spi;

/** One running request/response exchange: the caller's side of flow control, and cancellation. */
public interface Exchange {

    /**
     * Allows {@code n} more reads of the response body, as in {@link java.util.concurrent.Flow.Subscription}:
     * demand adds up, {@link Long#MAX_VALUE} means unbounded. A read may reach the handler as one or more
     * {@link ResponseHandler#onBody} calls. Without demand the transport stops reading, so a slow
     * consumer pushes back on the server. Callable from any thread; ignored after the end.
     *
     * @throws IllegalArgumentException if {@code n <= 0}
     */
    void request(long n);

    /**
     * Stops the exchange: no further handler calls, and the connection is closed rather than reused
     * (its state mid-body is unknown). Callable from any thread, at any time; idempotent.
     */
    void cancel();
}
