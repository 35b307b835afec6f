/**
 * chat852's core: the client API ({@code dev.chat852}), the protocol ({@code dev.chat852.protocol}), the
 * stream decoder ({@code dev.chat852.wire}) and the transport SPI ({@code dev.chat852.spi}). Transports
 * are found with {@link java.util.ServiceLoader}.
 */
// "module": the names end in digits (chat852), as published since 0.1. Micrometer has no descriptor
// ("requires-automatic") and is optional: only ChatClient.Builder.meterRegistry names its type.
@SuppressWarnings({"module", "requires-automatic"})
module dev.chat852.core {
    requires transitive com.fasterxml.jackson.databind;
    requires static micrometer.core;

    exports dev.chat852;
    exports dev.chat852.protocol;
    exports dev.chat852.spi;
    exports dev.chat852.wire;

    uses dev.chat852.spi.TransportProvider;
}
