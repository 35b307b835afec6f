package dev.chat852.cli;

import dev.chat852.spi.ProxyCredentials;
import dev.chat852.spi.Transport;
import dev.chat852.transport.netty.NettyTransport;
import java.net.ProxySelector;

/**
 * Creates the Netty transport. A class of its own so that {@link ChatCommand} never names
 * {@code NettyTransport}: with the default JDK transport, no Netty class is loaded.
 */
final class NettyTransports {
    private NettyTransports() {
    }

    /** @param credentials for the proxy, or null */
    static Transport create(ProxySelector proxy, ProxyCredentials credentials) {
        NettyTransport.Builder b = NettyTransport.builder().proxy(proxy);
        if (credentials != null) {
            b.proxyCredentials(credentials.username(), credentials.password());
        }
        return b.build();
    }
}
