package dev.chat852.transport.netty;

import dev.chat852.spi.Transport;
import dev.chat852.testkit.HostilePeerKit;

/** The hostile-peer suite on the Netty transport. */
class NettyHostilePeerTest extends HostilePeerKit {
    @Override
    protected Transport newTransport() {
        return NettyTransport.create();
    }
}
