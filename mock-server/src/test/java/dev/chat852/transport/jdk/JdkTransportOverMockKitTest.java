package dev.chat852.transport.jdk;

import dev.chat852.mock.kit.MockKitServer;
import dev.chat852.spi.Transport;
import dev.chat852.testkit.KitServer;
import dev.chat852.testkit.TransportTestKit;
import java.util.OptionalInt;

/**
 * The shared transport behaviour on the JDK transport, against the {@code MockServer} instead of the
 * raw-socket test server. Cases needing what the mock cannot do are skipped, naming the capability
 * (see {@link MockKitServer}). In the transport's package for its package-private connection count.
 */
class JdkTransportOverMockKitTest extends TransportTestKit {

    @Override
    protected Transport newTransport() {
        return JdkTransport.create();
    }

    @Override
    protected KitServer newServer(String token) {
        return new MockKitServer(token);
    }

    /** As in the transport's own kit test: exchanges not yet over. */
    @Override
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.of(((JdkTransport) transport).runningExchanges());
    }
}
