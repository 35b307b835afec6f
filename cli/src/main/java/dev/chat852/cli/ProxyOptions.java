package dev.chat852.cli;

import dev.chat852.spi.ProxyCredentials;
import dev.chat852.spi.Transport;
import dev.chat852.transport.jdk.JdkTransport;
import java.net.URI;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code chat}'s proxy options, which override the environment's proxy variables (see {@link Proxies}),
 * and the transport built with the proxy they choose.
 */
final class ProxyOptions {
    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--proxy", paramLabel = "URL",
            description = "The HTTP proxy, as http://[USER[:PASSWORD]@]HOST[:PORT] (port 1080 if none), instead of"
                    + " the variables https_proxy, http_proxy, all_proxy; an empty URL: none.")
    private String proxy;

    @Option(names = {"--no-proxy", "--noproxy"}, paramLabel = "HOSTS",
            description = "Hosts reached directly, instead of the variable no_proxy: a comma-separated list of names"
                    + " (a name covers the names below it), IP addresses or ranges (10.0.0.0/8), HOST:PORT; '*' for all.")
    private String noProxy;

    /** Refuses {@code --proxy} with {@code --offline}, whose mock is in this process. */
    void check(boolean offline) {
        if (offline && proxy != null) {
            throw new ParameterException(command.commandLine(), "--proxy cannot be used with --offline, whose"
                    + " mock server runs in this process");
        }
    }

    /**
     * The transport, with the proxy the options and {@code variables} choose and the credentials of the
     * one {@code baseUrl} goes through. {@code baseUrl} null ({@code --offline}): no proxy at all.
     */
    Transport transport(boolean netty, Map<String, String> variables, String baseUrl) {
        Proxies proxies = baseUrl == null ? Proxies.NONE : Proxies.of(variables, proxy, noProxy);
        ProxyCredentials credentials = null;
        URI target = baseUrl == null ? null : uri(baseUrl);
        if (target != null) {
            try {
                Proxies.Endpoint endpoint = proxies.proxyFor(target);
                credentials = endpoint == null ? null : endpoint.credentials();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(command.commandLine(), e.getMessage());
            }
        }
        if (netty) {
            return NettyTransports.create(proxies.selector(), credentials);
        }
        JdkTransport.Builder jdk = JdkTransport.builder().proxy(proxies.selector());
        if (credentials != null) {
            if ("https".equalsIgnoreCase(target.getScheme())) {
                allowBasicThroughTunnels();
            }
            jdk.proxyCredentials(credentials.username(), credentials.password());
        }
        return jdk.build();
    }

    /**
     * As curl does, send the proxy's Basic credentials with a CONNECT too. The JDK refuses to by default
     * and reads this property once, when its HTTP client loads: in the {@code chat852} process that is
     * after this. A value the user set is kept, and the JDK transport says clearly when it still refuses.
     */
    private static void allowBasicThroughTunnels() {
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
    }

    /** The base URL as a URI, or null if it is not one (building the client then says why). */
    private static URI uri(String baseUrl) {
        try {
            URI uri = URI.create(baseUrl);
            return uri.getHost() == null ? null : uri;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
