package dev.chat852.mock.internal;

import dev.chat852.mock.Fault;
import dev.chat852.mock.MockResponse;
import dev.chat852.mock.MockServer;
import dev.chat852.mock.Rechunk;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiRequest;
import java.util.List;
import java.util.Map;

/** What a {@link MockHandler} needs from the server that owns it. */
public interface MockBackend {

    /** 1 = recorded timing, 2 = twice as fast, 0 = no delays. */
    double speed();

    Rechunk rechunk();

    /** Faults added to every replay. */
    List<Fault> faults();

    /** Whether a request carrying {@code token} (null if none) may be answered. */
    boolean acceptsToken(String token);

    /**
     * A chat request that passed the token check arrived (headers already redacted): the response to
     * it, from the dispatcher or else a recording (a one-shot one is used up), or null if nothing
     * answers it. The request is logged with what answered it.
     */
    MockResponse answer(String path, Map<String, List<String>> headers, ApiRequest request);

    /** Every recording, in matching order. */
    List<Recording> recordings();

    /**
     * A request arrived that the server answers itself (another path, a bad body, a refused token): it
     * is logged as unmatched. {@code request} is null for paths other than the chat endpoint; headers
     * are already redacted.
     */
    void received(String method, String path, Map<String, List<String>> headers, ApiRequest request);

    /** The server itself, for the admin API ({@link AdminApi}): the same methods a test calls in-process. */
    MockServer server();

    /** A connection was accepted: the server numbers and keeps it, and it follows the channel until it closes. */
    TrackedConnection connected(io.netty.channel.Channel channel);
}
