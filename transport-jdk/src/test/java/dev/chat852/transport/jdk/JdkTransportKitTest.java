package dev.chat852.transport.jdk;

import dev.chat852.spi.Transport;
import dev.chat852.testkit.TransportTestKit;
import java.util.OptionalInt;

/** The shared transport behaviour, through ChatClient, on this transport. */
class JdkTransportKitTest extends TransportTestKit {

    @Override
    protected Transport newTransport() {
        return JdkTransport.create();
    }

    /**
     * The JDK client does not show its connections; an exchange that is not over holds one (or is
     * getting one), and one that is over has given it back to the pool (read to its end) or closed it.
     */
    @Override
    protected OptionalInt leasedConnections(Transport transport) {
        return OptionalInt.of(((JdkTransport) transport).runningExchanges());
    }
}
