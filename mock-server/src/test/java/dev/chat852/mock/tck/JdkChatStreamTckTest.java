package dev.chat852.mock.tck;

import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;

/** The Reactive Streams TCK over the JDK transport and the mock server. */
public class JdkChatStreamTckTest extends ChatStreamOverMockTck {
    @Override
    Transport newTransport() {
        return JdkTransport.create();
    }
}
