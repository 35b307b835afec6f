package dev.chat852.cli;

import dev.chat852.spi.Transport;
import dev.chat852.transport.netty.NettyTransport;

/**
 * Creates the Netty transport. A class of its own so that {@link ChatCommand} never names
 * {@code NettyTransport}: with the default JDK transport, no Netty class is loaded.
 */
final class NettyTransports {
    private NettyTransports() {
    }

    static Transport create() {
        return NettyTransport.create();
    }
}
