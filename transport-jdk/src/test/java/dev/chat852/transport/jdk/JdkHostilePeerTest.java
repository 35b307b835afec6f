package dev.chat852.transport.jdk;

import dev.chat852.spi.Transport;
import dev.chat852.testkit.HostilePeerKit;

/** The hostile-peer suite on the JDK transport. */
class JdkHostilePeerTest extends HostilePeerKit {
    @Override
    protected Transport newTransport() {
        return JdkTransport.create();
    }
}
