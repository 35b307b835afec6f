package dev.chat852.mock;

/**
 * A connection the mock server accepted, as it is now: lets a test check that its client really
 * closed a connection (after a cancel, say) rather than leaving it open or waiting for the server.
 *
 * <pre>{@code
 * stream.cancel();
 * assertThat(server.connections()).allSatisfy(c -> assertThat(c.closedByClient()).isTrue());
 * }</pre>
 */
public interface MockConnection {

    /** 1 for the server's first connection, then 2, 3, … */
    int id();

    /** The client's address and port. */
    String remoteAddress();

    /** False once either side has closed it. */
    boolean isOpen();

    /**
     * True if the client closed or reset the connection; false while it is open and when the server
     * closed it (a {@code truncate} or {@code reset} fault, {@code Connection: close}, the server closing).
     */
    boolean closedByClient();

    /**
     * Response body bytes the connection's socket has taken so far, over every response on it (without
     * status lines, headers and chunk framing). It stops growing when the client stops reading and the
     * socket buffers are full: how a test sees back-pressure reach the server.
     */
    long bodyBytesSent();
}
