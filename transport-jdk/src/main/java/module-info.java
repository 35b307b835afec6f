/** The {@code java.net.http} transport for chat852; found by {@code ChatClient} when it is on the module path. */
@SuppressWarnings("module") // the name ends in digits (chat852), as published since 0.1
module dev.chat852.transport.jdk {
    requires transitive dev.chat852.core;
    requires java.net.http;

    exports dev.chat852.transport.jdk;

    provides dev.chat852.spi.TransportProvider with dev.chat852.transport.jdk.internal.JdkTransportProvider;
}
