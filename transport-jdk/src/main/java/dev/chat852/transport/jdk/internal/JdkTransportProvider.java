package dev.chat852.transport.jdk.internal;

import dev.chat852.spi.Transport;
import dev.chat852.spi.TransportProvider;
import dev.chat852.transport.jdk.JdkTransport;

/**
 * Lets {@code ChatClient} find {@link JdkTransport} on the class or module path; selected by the name {@code "jdk"}
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
