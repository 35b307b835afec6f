package dev.chat852.transport.jdk;

import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;

/**
 * Lets {@code ChatClient} find {@link JdkTransport} on the classpath; selected by the name {@code "jdk"}
 * (system property {@code chat852.transport=jdk}). Not meant to be called directly.
 */
public final class JdkTransportProvider implements TransportProvider {

    /** For {@link java.util.ServiceLoader}. */
    public JdkTransportProvider() {
    }

    @Override
    public String name() {
        return JdkTransport.NAME;
    }

    /** A {@link JdkTransport#create() default} transport. */
    @Override
    public Transport create() {
        return JdkTransport.create();
    }
}
