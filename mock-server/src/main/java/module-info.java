/**
 * chat852's mock server: replays recorded streams with their timing, records real ones, and a JUnit 5
 * extension. JUnit is needed only by the extension.
 */
@SuppressWarnings("module") // the name ends in digits (chat852), as published since 0.1
module dev.chat852.mock {
    requires transitive dev.chat852.core;
    requires static transitive org.junit.jupiter.api;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.codec.http;
    requires io.netty.common;
    requires io.netty.handler;
    requires io.netty.transport;
    requires java.net.http; // MockAdmin drives a mock in another process

    exports dev.chat852.mock;
}
