package dev.chat852.mock.internal;

import dev.chat852.mock.MockConnection;
import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/** The connections a mock server accepted: every open one, and the newest closed ones up to a limit. */
public final class ConnectionLog {
    private final int closedLimit;
    // -- guarded by connections
    private final ArrayDeque<TrackedConnection> connections = new ArrayDeque<>();
    private int count;

    public ConnectionLog(int closedLimit) {
        this.closedLimit = closedLimit;
    }

    /** A connection was accepted: numbered and kept; it follows the channel until it closes. */
    public TrackedConnection connected(Channel channel) {
        synchronized (connections) {
            TrackedConnection c = new TrackedConnection(++count, channel);
            connections.addLast(c);
            for (Iterator<TrackedConnection> it = connections.iterator();
                    it.hasNext() && connections.size() > closedLimit; ) {
                if (!it.next().isOpen()) {
                    it.remove(); // forget the oldest closed ones; open ones always stay listed
                }
            }
            return c;
        }
    }

    /** Oldest first; each a live view. */
    public List<MockConnection> all() {
        synchronized (connections) {
            return List.copyOf(connections);
        }
    }

    /** Forgets the closed connections. */
    public void forgetClosed() {
        synchronized (connections) {
            connections.removeIf(c -> !c.isOpen());
        }
    }

    /** The server is shutting down: connections it drops were not closed by their clients. */
    public void serverClosesAll() {
        synchronized (connections) {
            connections.forEach(TrackedConnection::serverCloses);
        }
    }
}
