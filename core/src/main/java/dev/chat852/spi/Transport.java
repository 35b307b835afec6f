package dev.chat852.spi;

/**
 * An HTTP/1.1 client that chat852 sends its requests through. Implementations live in their own
 * artifacts ({@code chat852-transport-jdk}, {@code chat852-transport-netty}) and are found with
 * {@link TransportProvider} or passed to {@code ChatClient.builder().transport(...)}.
 *
 * <p>A transport is shared by all calls of a client and must be thread-safe.
 */
public interface Transport extends AutoCloseable {

    /** A short name for metrics tags and messages, such as {@code "jdk"} or {@code "netty"}. */
    String name();

    /**
     * Starts one exchange and returns at once, without waiting for the network. The handler is then
     * called in order and never concurrently: {@link ResponseHandler#onResponse} once, then
     * {@link ResponseHandler#onBody} only as far as {@link Exchange#request demand} allows, then exactly
     * one of {@link ResponseHandler#onComplete} or {@link ResponseHandler#onError} — or nothing more
     * once the exchange is {@linkplain Exchange#cancel() cancelled}.
     *
     * <p>A connect timeout must be reported as {@code ChatTimeoutException} with kind {@code CONNECT};
     * any other failure may be reported as whatever the transport saw (chat852 wraps it).
     */
    Exchange execute(TransportRequest request, ResponseHandler handler);

    /**
     * Releases the transport's threads and connections. Exchanges still running end with
     * {@link ResponseHandler#onError}. Idempotent.
     */
    @Override
    void close();
}
