package dev.chat852.transport.netty;

import dev.chat852.mock.kit.MockKitServer;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.KitServer;
import dev.chat852.testkit.TransportTestKit;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The shared transport behaviour on the Netty transport, against the {@code MockServer} instead of the
 * raw-socket test server. Cases needing what the mock cannot do are skipped, naming the capability
 * (see {@link MockKitServer}). In the transport's package for its package-private pool statistics.
 */
class NettyTransportOverMockKitTest extends TransportTestKit {

    @Override
    protected Transport newTransport() {
        return NettyTransport.create();
    }

    @Override
    protected KitServer newServer(String token) {
        return new MockKitServer(token);
    }

    /** As in the transport's own kit test: connections handed to exchanges and not yet back. */
    @Override
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.of(((NettyTransport) transport).poolStats().leased());
    }

    /** Netty logs through java.util.logging here (no SLF4J on the test classpath). */
    @Override
    protected Set<String> transportLoggers() {
        return Set.of("io.netty");
    }
}
