package dev.chat852.mock.internal;

import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * CORS for browser clients on another origin, such as the vendor's sample page: any origin, no
 * credentials (the token travels in the body, not in cookies).
 */
final class Cors {

    private Cors() {
    }

    /** The header every response carries. */
    static void addTo(HttpHeaders headers) {
        headers.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    }

    /** The answer to a preflight {@code OPTIONS}: 204, allowing POST and the headers asked for. */
    static FullHttpResponse preflight(FullHttpRequest request) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        HttpHeaders h = response.headers();
        addTo(h);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, OPTIONS");
        String asked = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS);
        h.set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, asked != null ? asked : "Content-Type, Accept");
        h.set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, 600);
        h.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        return response;
    }
}
