package dev.chat852.transport.jdk.internal;

import dev.chat852.spi.TransportRequest;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Converts between the SPI's request and headers and the JDK client's. */
public final class HttpMessages {
    private HttpMessages() {
    }

    /**
     * An HTTP/1.1 POST. Headers the JDK client sets itself (Host, Content-Length, Connection) are
     * refused by it with {@link IllegalArgumentException}.
     *
     * @param proxyAuthorization the transport's proxy credentials, or null for none
     * @throws IllegalStateException if the JDK would drop the proxy credentials (see {@link ProxyAuthorization})
     */
    public static HttpRequest request(TransportRequest request, ProxyAuthorization proxyAuthorization) {
        ByteBuffer body = request.body();
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        HttpRequest.Builder b = HttpRequest.newBuilder(request.uri())
                .version(HttpClient.Version.HTTP_1_1)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        request.headers().forEach(b::header);
        if (proxyAuthorization != null) {
            proxyAuthorization.addTo(b, request.uri());
        }
        return b.build();
    }

    /** Names in lower case (merging any that differ only in case), values in the order received. */
    static Map<String, List<String>> headers(HttpHeaders headers) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        headers.map().forEach((name, values) ->
                out.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).addAll(values));
        out.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(out);
    }
}
