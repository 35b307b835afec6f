package dev.chat852.transport.netty.internal;

import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;
import dev.chat852.transport.netty.NettyTransport;

/** Lets {@code ChatClient} find this transport on the classpath, by the name {@code "netty"}. */
public final class NettyTransportProvider implements TransportProvider {

    @Override
    public String name() {
        return NettyTransport.NAME;
    }

    @Override
    public Transport create() {
        return NettyTransport.create();
    }
}
