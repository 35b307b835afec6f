package dev.chat852.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server a {@link TransportTestKit} case talks to: scripted with {@link KitResponse}s, and
 * observed through the requests it received (and, if it can, its connections).
 *
 * <p>Every kit server plays a chunked {@code 200} stream or any other status with its headers and
 * body chunks, pauses between chunks, a delayed or never-sent status line, an endless stall, a reset
 * (RST) or a close (FIN) at a body offset, and answers by the request's user message; it records each
 * request, and answers a request whose token is not the one it was given like the API's bad-token
 * reply: HTTP 200, {@code {"code":401,"message":"token无效","data":null}}. What only some servers can do
 * is a {@link Capability}: a case that needs one calls {@link #require} (or a scripting step does),
 * and on a server without it the case is skipped by a JUnit assumption that names what is missing.
 *
 * <p>The default implementation is {@link TestServerAdapter} over the raw-socket {@link TestServer},
 * which has every capability. {@code chat852-mock-server}'s tests run the kit over its {@code MockServer}.
 */
public interface KitServer extends AutoCloseable {

    /** What a server may or may not be able to do, beyond what every kit server does. */
    enum Capability {
        /** A streamed body framed by {@code Content-Length}. */
        CONTENT_LENGTH_FRAMING("framing a streamed body with Content-Length"),
        /** A body delimited by closing the connection (no length, not chunked). */
        CLOSE_DELIMITED_FRAMING("delimiting a body by closing the connection"),
        /** Every byte on the wire, head and chunk framing too, written and flushed on its own. */
        WIRE_BYTE_BY_BYTE("writing every byte of the response (head and chunk framing too) on its own"),
        /** A response that waits until the test opens a {@link KitResponse.Gate}. */
        GATES("holding a response until the test opens a gate"),
        /** Listing connections, and seeing at once that the client closed or reset one. */
        CLIENT_CLOSE_PROBE("seeing its connections, and the client closing one"),
        /** SO_SNDBUF set per response. */
        SEND_BUFFER_SIZE("setting the socket send buffer size"),
        /** How many body bytes the server's socket writes have accepted, per exchange. */
        WRITE_PROGRESS("reporting how far its socket writes got"),
        /** A body that never ends and has no pauses (a firehose). */
        ENDLESS_FIREHOSE("an endless body written without pauses"),
        /** A custom reason phrase in the status line. */
        CUSTOM_REASON("a custom reason phrase"),
        /** {@code Connection: close} after a complete response, whatever the request said. */
        CLOSE_AFTER_RESPONSE("closing the connection after a complete response");

        private final String description;

        Capability(String description) {
            this.description = description;
        }

        /** What the capability is, for skip messages. */
        public String description() {
            return description;
        }
    }

    /** A short description for messages, such as {@code "TestServer"} or {@code "MockServer"}. */
    String name();

    /** What this server can do beyond the basics. */
    Set<Capability> capabilities();

    /** Whether this server has {@code capability}. */
    default boolean has(Capability capability) {
        return capabilities().contains(capability);
    }

    /**
     * Skips the running test (a JUnit assumption) unless this server has {@code capability}; the
     * message names the server and what it lacks.
     */
    default void require(Capability capability) {
        assumeTrue(has(capability), () -> missing(capability));
    }

    /** The skip message for a missing capability. */
    default String missing(Capability capability) {
        return name() + " lacks " + capability + " (" + capability.description() + ")";
    }

    /** The port it listens on, at 127.0.0.1. */
    int port();

    /**
     * Queues a response for the next request that arrives (after the token check); queued responses go
     * first, in order.
     *
     * @throws org.opentest4j.TestAbortedException if the script needs a capability this server lacks
     */
    KitServer enqueue(KitResponse response);

    /**
     * Answers requests that the queue does not: one whose only message is the user's
     * {@code byUserMessage} key gets that response (as often as it comes); any other gets
     * {@code otherwise}, or, if it is null, an error that counts it as {@linkplain #unmatchedRequests
     * unmatched}. Call at most once per test.
     */
    KitServer route(Map<String, KitResponse> byUserMessage, KitResponse otherwise);

    /** Waits for the next request not yet taken, in arrival order; fails if none arrives in time. */
    KitRequest takeRequest(Duration timeout) throws InterruptedException;

    /** Every request received so far, in arrival order. */
    List<KitRequest> requests();

    /** Requests nothing was scripted for, or whose token was refused. */
    List<KitRequest> unmatchedRequests();

    /** Every connection accepted, in order. Needs {@link Capability#CLIENT_CLOSE_PROBE}. */
    List<KitConnection> connections();

    /** How many connections are still open. Needs {@link Capability#CLIENT_CLOSE_PROBE}. */
    default int openConnections() {
        int open = 0;
        for (KitConnection c : connections()) {
            if (!c.isClosed()) {
                open++;
            }
        }
        return open;
    }

    /** Every exchange in arrival order. Needs {@link Capability#WRITE_PROGRESS}. */
    List<KitExchange> exchanges();

    /** Whether the thread of this name is one of the server's own (the kit's leak test ignores them). */
    boolean ownsThread(String threadName);

    /**
     * What the server keeps about the requests it got, as text (request descriptions, bodies it keeps,
     * recordings): the kit checks the token is in none of it, where the server promises that.
     */
    List<String> retainedTexts();

    /** Stops the server: closes every connection and ends its threads. */
    @Override
    void close();

    /** A request as the server received it. */
    interface KitRequest {
        String method();

        /** The request target, e.g. {@code /api/light/chat/createChatCompletion}. */
        String path();

        /** The first value of a header (name in any case), or null. */
        String header(String name);

        /** The JSON body without its {@code token} field, or null if it was not JSON. */
        com.fasterxml.jackson.databind.JsonNode json();

        /**
         * The token the request carried, as far as the server can tell: the raw server reads it; the
         * mock keeps none but checks it against the one it was given, so a request it answered carried
         * exactly that one. Empty if the body had no token.
         */
        java.util.Optional<String> token();
    }

    /** A connection the server accepted. */
    interface KitConnection {
        boolean isClosed();

        /** True if the client closed or reset it (not the server, not a script step). */
        boolean closedByClient();
    }

    /** A request and the response being written for it. */
    interface KitExchange {
        /** Body bytes (without framing) the server's socket writes have accepted so far. */
        long bodyBytesWritten();

        /** True once the whole response was written. */
        boolean responseComplete();

        KitConnection connection();
    }
}
