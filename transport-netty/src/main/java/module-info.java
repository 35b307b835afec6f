/** The Netty transport for chat852; found by {@code ChatClient} when it is on the module path. */
@SuppressWarnings("module") // the name ends in digits (chat852), as published since 0.1
module dev.chat852.transport.netty {
    requires transitive dev.chat852.core;
    requires transitive io.netty.handler;
    requires transitive io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler.proxy;
    requires io.netty.resolver;

    exports dev.chat852.transport.netty;

    provides dev.chat852.spi.TransportProvider with dev.chat852.transport.netty.internal.NettyTransportProvider;
}
