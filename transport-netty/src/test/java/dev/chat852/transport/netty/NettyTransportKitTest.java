package dev.chat852.transport.netty;

import dev.chat852.spi.Transport;
import dev.chat852.testkit.TransportTestKit;
import java.util.OptionalInt;
import java.util.Set;

/** The shared transport behaviour, through ChatClient, on Netty. */
class NettyTransportKitTest extends TransportTestKit {

    @Override
    protected Transport newTransport() {
        return NettyTransport.create();
    }

    /** Connections handed to exchanges (or being opened for them) and not yet back in the pool. */
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
