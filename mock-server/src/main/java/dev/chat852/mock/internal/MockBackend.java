package dev.chat852.mock.internal;

import dev.chat852.mock.Fault;
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

    /** The recording that answers {@code request}, or null; a one-shot recording it returns is used up. */
    Recording match(ApiRequest request);

    /** Every recording, in matching order. */
    List<Recording> recordings();

    /**
     * A request arrived. {@code request} is null for paths other than the chat endpoint; headers are
     * already redacted; {@code matched} is the recording that answers, or null.
     */
    void received(String method, String path, Map<String, List<String>> headers, ApiRequest request,
                  Recording matched);

    /** The server itself, for the admin API ({@link AdminApi}): the same methods a test calls in-process. */
    MockServer server();

    /** A connection was accepted: the server numbers and keeps it, and it follows the channel until it closes. */
    TrackedConnection connected(io.netty.channel.Channel channel);
}
