package com.example.transport;

import dev.chat852.spi.Transport;
import dev.chat852.tck.TransportTck;

/** The whole conformance kit, run on the example transport. */
class SocketTransportTckTest extends TransportTck {
    @Override
    protected Transport newTransport() {
        return new SocketTransport();
    }
}
