package dev.chat852.cli;

import dev.chat852.spi.ProxyCredentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which proxy a request goes through, decided as curl decides it: {@code --proxy URL} if given, else
 * {@code https_proxy} or {@code HTTPS_PROXY} for https and {@code http_proxy} for http (lower case only,
 * as curl: CGI servers set {@code HTTP_PROXY} from a request's {@code Proxy:} header), else
 * {@code all_proxy} or {@code ALL_PROXY}; the lower-case variable wins, and a variable set to nothing
 * means no proxy. Hosts on the {@link NoProxy} list ({@code --no-proxy}, else {@code no_proxy} or
 * {@code NO_PROXY}) go directly, even with {@code --proxy}. A proxy URL is
 * {@code [http://][USER[:PASSWORD]@]HOST[:PORT]}: user and password percent-decoded, port 1080 if none
 * (curl's default); HTTP proxies only.
 */
final class Proxies {
    /** curl's port for a proxy URL that names none. */
    static final int DEFAULT_PORT = 1080;
    /** The variables a proxy URL, and so a proxy password, may come from. */
    static final List<String> PROXY_VARIABLES = List.of("https_proxy", "HTTPS_PROXY", "http_proxy", "all_proxy",
            "ALL_PROXY");
    static final Proxies NONE = new Proxies(Map.of(), "", NoProxy.parse(null));

    /** A proxy to use: where, and the credentials its URL carried (or null). */
    record Endpoint(String host, int port, ProxyCredentials credentials) {
        /** Host and port only: never the password. */
        @Override
        public String toString() {
            return "http://" + (credentials == null ? "" : credentials.username() + "@")
                    + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }
    }

    private final Map<String, String> variables;
    /** {@code --proxy}'s value, or null when not given. */
    private final String option;
    private final NoProxy noProxy;

    private Proxies(Map<String, String> variables, String option, NoProxy noProxy) {
        this.variables = variables;
        this.option = option;
        this.noProxy = noProxy;
    }

    /** @param option {@code --proxy}'s value or null; @param noProxyOption {@code --no-proxy}'s value or null */
    static Proxies of(Map<String, String> variables, String option, String noProxyOption) {
        String noProxy = noProxyOption != null ? noProxyOption
                : variables.containsKey("no_proxy") ? variables.get("no_proxy") : variables.get("NO_PROXY");
        return new Proxies(variables, option, NoProxy.parse(noProxy));
    }

    /**
     * The proxy for {@code target}, or null for a direct connection.
     *
     * @throws IllegalArgumentException naming the option or variable whose URL is not usable, without its password
     */
    Endpoint proxyFor(URI target) {
        if (noProxy.matches(target)) {
            return null;
        }
        String source = "option '--proxy'";
        String value = option;
        if (value == null) {
            List<String> names = "https".equalsIgnoreCase(target.getScheme())
                    ? List.of("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
                    : List.of("http_proxy", "all_proxy", "ALL_PROXY");
            for (String name : names) {
                if (variables.containsKey(name)) {
                    source = "environment variable " + name;
                    value = variables.get(name);
                    break;
                }
            }
        }
        return value == null || value.isBlank() ? null : parse(value, source);
    }

    /** A selector answering {@link #proxyFor} for every URI. */
    ProxySelector selector() {
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                Endpoint e = proxyFor(uri);
                return List.of(e == null ? Proxy.NO_PROXY
                        : new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(e.host(), e.port())));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
                // one proxy per request: there is no other to try next
            }
        };
    }

    static Endpoint parse(String value, String source) {
        String rest = value.strip();
        int sep = rest.indexOf("://");
        String scheme = sep < 0 ? "http" : rest.substring(0, sep).toLowerCase(Locale.ROOT);
        rest = sep < 0 ? rest : rest.substring(sep + 3);
        if (!scheme.equals("http")) {
            throw bad(source, value, scheme.equals("https") ? "a proxy reached over TLS (https://) is not supported;"
                    + " give it as http://HOST:PORT" : scheme.startsWith("socks") ? "SOCKS proxies are not"
                    + " supported, HTTP proxies only" : "unknown scheme '" + scheme + "'; expected http://HOST:PORT");
        }
        int at = rest.lastIndexOf('@');
        int slash = rest.indexOf('/', Math.max(at, 0));
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String hostPort = rest.substring(at + 1, slash < 0 ? rest.length() : slash);
        ProxyCredentials credentials = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            try {
                credentials = ProxyCredentials.of(decode(colon < 0 ? userInfo : userInfo.substring(0, colon)),
                        colon < 0 ? "" : decode(userInfo.substring(colon + 1)));
            } catch (IllegalArgumentException e) {
                throw bad(source, value, e.getMessage());
            }
        }
        String host;
        String port;
        if (hostPort.startsWith("[") && hostPort.indexOf(']') > 0) {
            host = hostPort.substring(1, hostPort.indexOf(']'));
            port = hostPort.substring(hostPort.indexOf(']') + 1);
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? "" : hostPort.substring(colon);
        }
        if (host.isEmpty() || host.indexOf(':') >= 0 && !hostPort.startsWith("[")) {
            throw bad(source, value, "no host; expected http://HOST:PORT");
        }
        return new Endpoint(host, port(port, source, value), credentials);
    }

    private static int port(String suffix, String source, String value) {
        if (suffix.isEmpty()) {
            return DEFAULT_PORT;
        }
        try {
            int port = suffix.startsWith(":") ? Integer.parseInt(suffix.substring(1)) : -1;
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw bad(source, value, "the port is not a number from 1 to 65535");
    }

    /** Percent-decoding as in a URL's user information, UTF-8; the text is never shown (it may be a password). */
    private static String decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '%') {
                int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(bytes[i + 2], 16);
                if (lo < 0) {
                    throw new IllegalArgumentException("a '%' in the user name or password is not followed by two"
                            + " hexadecimal digits");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException bad(String source, String value, String why) {
        return new IllegalArgumentException("Invalid value for " + source + ": '" + withoutCredentials(value) + "': " + why);
    }

    /** The URL with anything before its host's '@' replaced: it may hold a password. */
    static String withoutCredentials(String value) {
        int at = value.lastIndexOf('@');
        if (at < 0) {
            return value;
        }
        int sep = value.indexOf("://");
        String scheme = sep >= 0 && sep < at ? value.substring(0, sep + 3) : "";
        return scheme + "[credentials]" + value.substring(at);
    }

    /**
     * The passwords, as written and as decoded, in the proxy URLs of {@code variables} and of the
     * {@code --proxy} values in {@code args}: {@code Main} keeps them out of every message.
     */
    static List<String> passwords(Map<String, String> variables, String[] args) {
        List<String> urls = new ArrayList<>();
        PROXY_VARIABLES.stream().map(variables::get).forEach(urls::add);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--proxy") && i + 1 < args.length) {
                urls.add(args[i + 1]);
            } else if (args[i].startsWith("--proxy=")) {
                urls.add(args[i].substring("--proxy=".length()));
            }
        }
        List<String> found = new ArrayList<>();
        for (String url : urls) {
            int at = url == null ? -1 : url.lastIndexOf('@');
            int start = at < 0 ? -1 : url.indexOf("://") < at && url.contains("://") ? url.indexOf("://") + 3 : 0;
            int colon = at < 0 ? -1 : url.indexOf(':', start);
            if (colon >= 0 && colon < at) {
                String raw = url.substring(colon + 1, at);
                found.add(raw);
                try {
                    found.add(decode(raw));
                } catch (IllegalArgumentException e) {
                    // the raw form is kept out; the URL is refused with a message that omits both
                }
            }
        }
        found.removeIf(String::isEmpty);
        return found;
    }
}
