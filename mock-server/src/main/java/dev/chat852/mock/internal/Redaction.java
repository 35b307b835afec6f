package dev.chat852.mock.internal;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Keeps secrets out of what the servers store and show. */
final class Redaction {
    static final String REDACTED = "[redacted]";
    private static final Set<String> SECRET_HEADERS =
            Set.of("authorization", "proxy-authorization", "cookie", "x-api-key", "api-key");

    private Redaction() {
    }

    /**
     * Request headers for the request log: names in lower case, values of credential headers and of any
     * header holding {@code token} replaced by {@value #REDACTED}.
     */
    static Map<String, List<String>> headers(HttpHeaders headers, String token) {
        Map<String, List<String>> out = new TreeMap<>();
        for (Map.Entry<String, String> h : headers) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            String value = SECRET_HEADERS.contains(name) || containsToken(h.getValue(), token) ? REDACTED : h.getValue();
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        out.replaceAll((k, v) -> Collections.unmodifiableList(v));
        return Collections.unmodifiableMap(out);
    }

    static boolean containsToken(String text, String token) {
        return token != null && !token.isEmpty() && text.contains(token);
    }
}
