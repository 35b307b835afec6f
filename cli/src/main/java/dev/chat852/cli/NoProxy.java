package dev.chat852.cli;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts that bypass the proxy: a {@code NO_PROXY} list, matched as curl matches it
 * ({@code lib/noproxy.c}), plus ports.
 *
 * <ul>
 *   <li>Entries are separated by commas and blanks. The list {@code *} alone matches every host.
 *   <li>A name matches itself and every name below it, ignoring case and a leading or trailing dot:
 *       {@code example.com} and {@code .example.com} both match {@code example.com} and
 *       {@code api.example.com}, not {@code notexample.com}.
 *   <li>An IP address (IPv6 without brackets) matches that address, and with {@code /BITS} (CIDR) every
 *       address in that range, when the URL's host is an address. Nothing is resolved: the name
 *       {@code localhost} is not the address {@code 127.0.0.1}, and neither bypasses the proxy unless listed.
 *   <li>An entry with a port ({@code host:8080}, {@code [::1]:8080}) matches that host on that port only.
 *       curl has no such entries (it never matches them); tools such as Go's accept them.
 * </ul>
 */
final class NoProxy {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final boolean all;
    private final List<Entry> entries;

    private NoProxy(boolean all, List<Entry> entries) {
        this.all = all;
        this.entries = entries;
    }

    /** The list in {@code value} ({@code null} or empty: nothing bypasses the proxy). */
    static NoProxy parse(String value) {
        if (value == null) {
            return new NoProxy(false, List.of());
        }
        if (value.strip().equals("*")) {
            return new NoProxy(true, List.of());
        }
        List<Entry> entries = new ArrayList<>();
        for (String token : value.split("[,\\s]+")) {
            if (!token.isEmpty()) {
                entries.add(Entry.of(token));
            }
        }
        return new NoProxy(false, List.copyOf(entries));
    }

    /** Whether a request to {@code uri} goes directly, not through the proxy. */
    boolean matches(URI uri) {
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return matches(uri.getHost(), port);
    }

    /** Whether {@code host} (a name, an IPv4 address, or an IPv6 address with or without brackets) on {@code port} goes directly. */
    boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] address = literal(h);
        String name = address != null ? null : trimDots(h).toLowerCase(Locale.ROOT);
        for (Entry e : entries) {
            if ((e.port == Entry.ANY_PORT || e.port == port) && (address != null ? e.matchesAddress(address) : e.matchesName(name))) {
                return true;
            }
        }
        return false;
    }

    /** The bytes of an IP address literal, or null for a name; never a DNS lookup. */
    static byte[] literal(String host) {
        if (!IPV4.matcher(host).matches() && host.indexOf(':') < 0) {
            return null;
        }
        try {
            return InetAddress.getByName(host).getAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static String trimDots(String s) {
        int start = s.startsWith(".") ? 1 : 0;
        int end = s.endsWith(".") && s.length() > start ? s.length() - 1 : s.length();
        return s.substring(start, end);
    }

    /** One entry: a name, or an address with a prefix length; a port or -1 for any. */
    private static final class Entry {
        static final int ANY_PORT = -1;
        /** A port no connection has: the entry's port part was not a number. */
        static final int NO_PORT = -2;
        final String name;
        final byte[] network;
        final int bits;
        final int port;

        private Entry(String name, byte[] network, int bits, int port) {
            this.name = name;
            this.network = network;
            this.bits = bits;
            this.port = port;
        }

        static Entry of(String token) {
            String host = token;
            int port = ANY_PORT;
            if (token.startsWith("[")) {
                int close = token.indexOf(']');
                if (close > 0) {
                    host = token.substring(1, close);
                    port = port(token.substring(close + 1));
                }
            } else if (token.indexOf(':') > 0 && token.indexOf(':') == token.lastIndexOf(':')) {
                host = token.substring(0, token.indexOf(':'));
                port = port(token.substring(token.indexOf(':')));
            }
            String address = host;
            int bits = -1;
            int slash = host.indexOf('/');
            if (slash > 0) {
                address = host.substring(0, slash);
                bits = bits(host.substring(slash + 1));
            }
            byte[] network = literal(address);
            if (network != null) {
                return new Entry(null, network, bits < 0 ? network.length * 8 : bits, port);
            }
            return new Entry(trimDots(host).toLowerCase(Locale.ROOT), null, 0, port);
        }

        /** {@code :8080} as 8080, none as any port; anything else as {@link #NO_PORT} (the entry never matches). */
        private static int port(String suffix) {
            if (suffix.isEmpty()) {
                return ANY_PORT;
            }
            try {
                int port = suffix.startsWith(":") ? Integer.parseInt(suffix.substring(1)) : NO_PORT;
                return port >= 0 ? port : NO_PORT;
            } catch (NumberFormatException e) {
                return NO_PORT;
            }
        }

        /** A prefix length; 0 means the whole address, as in curl; nonsense never matches, as in curl. */
        private static int bits(String text) {
            try {
                int bits = Integer.parseInt(text);
                return bits == 0 ? -1 : bits < 0 ? Integer.MAX_VALUE : bits;
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }

        boolean matchesName(String host) {
            if (name == null || name.isEmpty()) {
                return false;
            }
            return host.equals(name) || host.endsWith(name) && host.charAt(host.length() - name.length() - 1) == '.';
        }

        boolean matchesAddress(byte[] address) {
            if (network == null || network.length != address.length || bits > address.length * 8) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (network[i] != address[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            return rest == 0 || ((network[full] ^ address[full]) & (0xff << (8 - rest)) & 0xff) == 0;
        }
    }
}
