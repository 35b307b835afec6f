package dev.chat852.transport.jdk.internal;

import dev.chat852.spi.ProxyCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Proxy credentials on the JDK client, sent preemptively as a {@code Proxy-Authorization} request
 * header. The JDK client gives that header to the proxy only: with the request itself when it goes to
 * an HTTP proxy in absolute form ({@code http} targets), with the {@code CONNECT} that opens a tunnel
 * ({@code https} targets), and never to a server reached directly or through a tunnel. No
 * {@link java.net.Authenticator}: with one, the JDK retries a refused password up to three times and
 * ends in an exception that no longer says the proxy refused it; without one a 407 is a response.
 *
 * <p>For tunnels the JDK drops Basic credentials unless the system property
 * {@value #TUNNELING_DISABLED_SCHEMES} (from {@code conf/net.properties}: {@code Basic}) allows them, and
 * it reads that property once, when its HTTP client classes load. An https request through a proxy
 * with credentials then fails at once, saying what to do, instead of reaching the proxy without them.
 */
public final class ProxyAuthorization {
    /** The JDK's networking property listing the authentication schemes refused for CONNECT tunnels. */
    public static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    private final ProxyCredentials credentials;
    private final ProxySelector selector;
    private final boolean basicTunnelingDisabled;

    /** @param selector the transport's selector; null for the JDK's default */
    public ProxyAuthorization(ProxyCredentials credentials, ProxySelector selector) {
        this.credentials = credentials;
        this.selector = selector;
        this.basicTunnelingDisabled = basicDisabled(tunnelingDisabledSchemes());
    }

    /**
     * Adds the credentials to {@code request}.
     *
     * @throws IllegalStateException if the request would go through a tunnel for which the JDK drops them
     */
    public void addTo(HttpRequest.Builder request, URI uri) {
        if (basicTunnelingDisabled && "https".equalsIgnoreCase(uri.getScheme()) && throughProxy(uri)) {
            throw new IllegalStateException("the proxy credentials cannot go with the CONNECT tunnel to "
                    + uri.getHost() + ": Java disables Basic authentication for tunnels by default ("
                    + TUNNELING_DISABLED_SCHEMES + "=Basic in the JDK's conf/net.properties). Start Java with -D"
                    + TUNNELING_DISABLED_SCHEMES + "= (empty) to allow it, or use the Netty transport");
        }
        request.header("Proxy-Authorization", credentials.basicAuthorization());
    }

    private boolean throughProxy(URI uri) {
        ProxySelector s = selector != null ? selector : ProxySelector.getDefault();
        if (s == null) {
            return false;
        }
        List<Proxy> proxies = s.select(uri);
        return proxies != null && !proxies.isEmpty() && proxies.get(0).type() == Proxy.Type.HTTP;
    }

    /**
     * The property as the JDK reads it: the system property if set, else the JDK's {@code net.properties};
     * if that cannot be read, {@code Basic}, its value in every JDK since 8u111.
     */
    static String tunnelingDisabledSchemes() {
        String value = System.getProperty(TUNNELING_DISABLED_SCHEMES);
        if (value != null) {
            return value;
        }
        Path file = Path.of(System.getProperty("java.home"), "conf", "net.properties");
        try (InputStream in = Files.newInputStream(file)) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(TUNNELING_DISABLED_SCHEMES, "");
        } catch (IOException | RuntimeException e) {
            return "Basic";
        }
    }

    static boolean basicDisabled(String schemes) {
        return Arrays.stream(schemes.split(",")).map(String::trim).anyMatch("Basic"::equalsIgnoreCase);
    }
}
