package dev.chat852.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/** The headers a client adds to every request: checked when set, and the default {@code User-Agent}. */
public final class RequestHeaders {
    /** Set by the transport from the request itself; a value given here would contradict it. */
    private static final Set<String> TRANSPORT_OWNED = Set.of("host", "content-length", "transfer-encoding",
            "connection", "upgrade", "te", "trailer", "keep-alive", "proxy-connection");
    private static final String VERSION = readVersion();

    private RequestHeaders() {
    }

    /** chat852's version, as built; {@code "unknown"} if the build did not say. */
    public static String version() {
        return VERSION;
    }

    /** {@code chat852/VERSION (Java 17.0.15; TRANSPORT)}: which library, which Java, which transport. */
    public static String userAgent(String transport) {
        return "chat852/" + VERSION + " (Java " + System.getProperty("java.version") + "; " + transport + ")";
    }

    /**
     * Checks a header a caller adds to every request: a token as the name, no control characters in the
     * value, and not one the transport sets itself or {@code Proxy-Authorization} (the transports' own
     * proxy credentials put it where only the proxy sees it).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void check(String name, String value) {
        if (name == null || name.isEmpty() || !name.chars().allMatch(RequestHeaders::tokenChar)) {
            throw new IllegalArgumentException("a header name is letters, digits and !#$%&'*+-.^_`|~ only, was \""
                    + name + "\"");
        }
        if (TRANSPORT_OWNED.contains(name.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("the header " + name + " is set by the transport from the request;"
                    + " it cannot be given");
        }
        if (name.equalsIgnoreCase("proxy-authorization")) { // sent as given, it could reach the server itself
            throw new IllegalArgumentException("Proxy-Authorization is for the proxy, not the server: give the"
                    + " transport proxy credentials instead (JdkTransport.Builder or NettyTransport.Builder"
                    + " proxyCredentials)");
        }
        if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            throw new IllegalArgumentException("the value of the header " + name + " must not be null or hold line"
                    + " breaks or other control characters");
        }
    }

    private static boolean tokenChar(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }

    private static String readVersion() {
        try (InputStream in = RequestHeaders.class.getResourceAsStream("chat852.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
