package dev.chat852.spi;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A user name and password for an HTTP proxy, sent with HTTP Basic authentication
 * ({@code Proxy-Authorization: Basic …}, RFC 7617, UTF-8). Transports take them through their builders
 * ({@code JdkTransport.Builder.proxyCredentials}, {@code NettyTransport.Builder.proxyCredentials}); a
 * transport author gets the header value from {@link #basicAuthorization()}.
 *
 * <p>The password is a secret: {@link #toString()} leaves it out, and so must every message and log
 * line that mentions the credentials.
 */
public final class ProxyCredentials {
    private final String username;
    private final String password;

    private ProxyCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /**
     * @throws IllegalArgumentException if the user name holds a colon (Basic authentication cannot carry
     *     one) or either holds a control character
     * @throws NullPointerException if either is null
     */
    public static ProxyCredentials of(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a proxy user name cannot contain ':' (HTTP Basic authentication"
                    + " separates the user name from the password with it)");
        }
        if (hasControl(username) || hasControl(password)) {
            throw new IllegalArgumentException("a proxy user name or password cannot contain control characters");
        }
        return new ProxyCredentials(username, password);
    }

    public String username() {
        return username;
    }

    /** The password; never show or log it. */
    public String password() {
        return password;
    }

    /** The value of a {@code Proxy-Authorization} header: {@code Basic} and {@code user:password} in base64. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((username + ':' + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The user name only: never the password. */
    @Override
    public String toString() {
        return "ProxyCredentials{username=" + username + ", password=[hidden]}";
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
