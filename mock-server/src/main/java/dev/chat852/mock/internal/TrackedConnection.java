package dev.chat852.mock.internal;

import dev.chat852.mock.MockConnection;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link MockConnection} kept up to date by the server: who closed it is decided when it closes. */
public final class TrackedConnection implements MockConnection {
    private static final AttributeKey<TrackedConnection> KEY = AttributeKey.valueOf("chat852.mock.connection");

    private final int id;
    private final String remoteAddress;
    private volatile boolean open = true;
    private volatile boolean serverClosing;
    private volatile boolean closedByClient;
    private final AtomicLong bodyBytesSent = new AtomicLong();

    public TrackedConnection(int id, Channel channel) {
        this.id = id;
        this.remoteAddress = String.valueOf(channel.remoteAddress());
        channel.attr(KEY).set(this);
    }

    /** Marks that the server itself is about to close the channel (a fault, a response, shutdown). */
    static void serverCloses(Channel channel) {
        TrackedConnection c = channel.attr(KEY).get();
        if (c != null) {
            c.serverClosing = true;
        }
    }

    /** {@code bytes} response body bytes of {@code channel} were taken by its socket. */
    static void sent(Channel channel, long bytes) {
        TrackedConnection c = channel.attr(KEY).get();
        if (c != null) {
            c.bodyBytesSent.addAndGet(bytes);
        }
    }

    /** The server is shutting down: connections it drops were not closed by their clients. */
    public void serverCloses() {
        serverClosing = true;
    }

    void closed() {
        closedByClient = !serverClosing;
        open = false;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean closedByClient() {
        return closedByClient;
    }

    @Override
    public long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    @Override
    public String toString() {
        return "MockConnection#" + id + "{" + remoteAddress + (open ? ", open" : closedByClient
                ? ", closed by the client" : ", closed by the server") + "}";
    }
}
