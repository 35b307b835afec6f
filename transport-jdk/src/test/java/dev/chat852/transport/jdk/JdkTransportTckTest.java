package dev.chat852.transport.jdk;

import dev.chat852.spi.Transport;
import dev.chat852.tck.TransportTck;
import java.util.OptionalInt;

/** The transport conformance kit on this transport. */
class JdkTransportTckTest extends TransportTck {

    @Override
    protected Transport newTransport() {
        return JdkTransport.create();
    }

    /**
     * The JDK client does not show its connections; an exchange that is not over holds one (or is
     * getting one), and one that is over has given it back to the pool (read to its end) or closed it.
     * The count is package-private: this test lives in the transport's own module and package.
     */
    @Override
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.of(((JdkTransport) transport).runningExchanges());
    }
}
