package dev.chat852.spi;

/**
 * Makes a {@link Transport} with default settings. Registered in
 * {@code META-INF/services/dev.chat852.spi.TransportProvider} by each transport artifact, so that a
 * client finds the transport on its classpath.
 *
 * <p>How a client chooses: a transport passed to {@code ChatClient.builder().transport(...)} wins;
 * otherwise the provider named by the system property {@code chat852.transport}; otherwise the only
 * provider found. None found, or several found with no choice made, is an error that says what to do.
 */
public interface TransportProvider {

    /** The name the system property {@code chat852.transport} selects this provider by. */
    String name();

    /** A new transport with default settings; the client that asked for it closes it. */
    Transport create();
}
