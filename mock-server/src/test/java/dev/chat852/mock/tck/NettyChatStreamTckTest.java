package dev.chat852.mock.tck;

import dev.chat852.spi.Transport;
import dev.chat852.transport.netty.NettyTransport;

/** The Reactive Streams TCK over the Netty transport and the mock server. */
public class NettyChatStreamTckTest extends ChatStreamOverMockTck {
    @Override
    Transport newTransport() {
        return NettyTransport.create();
    }
}
