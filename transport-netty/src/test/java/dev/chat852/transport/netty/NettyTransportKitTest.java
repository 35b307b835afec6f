package dev.chat852.transport.netty;

import dev.chat852.spi.Transport;
import dev.chat852.testkit.TransportTestKit;
import java.util.OptionalInt;

/** The shared transport behaviour, on Netty. */
class NettyTransportKitTest extends TransportTestKit {

    @Override
    protected Transport newTransport() {
        return NettyTransport.create();
    }

    @Override
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.of(((NettyTransport) transport).poolStats().leased());
    }
}
