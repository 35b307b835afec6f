package dev.chat852.transport.netty;

import dev.chat852.spi.Transport;
import dev.chat852.tck.TransportTck;
import java.util.OptionalInt;
import java.util.Set;

/** The transport conformance kit on Netty. */
class NettyTransportTckTest extends TransportTck {

    @Override
    protected Transport newTransport() {
        return NettyTransport.create();
    }

    /**
     * Connections handed to exchanges (or being opened for them) and not yet back in the pool. The pool's
     * statistics are package-private: this test lives in the transport's own module and package.
     */
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
