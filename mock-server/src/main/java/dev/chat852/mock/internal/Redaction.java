package dev.chat852.mock.internal;

import dev.chat852.mock.Chunk;
import dev.chat852.mock.RecordedResponse;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

    /**
     * Whether the token's UTF-8 bytes occur in the response body, also across chunk boundaries; looks
     * at one chunk (and the token's length before it) at a time.
     */
    static boolean containsToken(RecordedResponse response, String token) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        byte[] needle = token.getBytes(StandardCharsets.UTF_8);
        byte[] carry = new byte[0];
        for (Chunk chunk : response.chunks()) {
            byte[] bytes = chunk.bytes();
            byte[] window = new byte[carry.length + bytes.length];
            System.arraycopy(carry, 0, window, 0, carry.length);
            System.arraycopy(bytes, 0, window, carry.length, bytes.length);
            if (contains(window, needle)) {
                return true;
            }
            carry = Arrays.copyOfRange(window, Math.max(0, window.length - (needle.length - 1)), window.length);
        }
        return false;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
