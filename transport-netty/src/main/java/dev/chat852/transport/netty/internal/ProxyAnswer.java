package dev.chat852.transport.netty.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps the status and headers of a proxy's answer to {@code CONNECT}, which Netty's
 * {@code HttpProxyHandler} (final) folds into an exception message. It sits between that handler's HTTP
 * codec and the handler itself, passes everything on, and leaves once the tunnel is open or refused.
 * A proxy that refuses with 407 (it wants credentials, or refused the ones sent) is then reported as that
 * response, as the JDK client reports it, rather than as a connection failure.
 */
final class ProxyAnswer extends ChannelInboundHandlerAdapter {
    private volatile int status;
    private volatile Map<String, List<String>> headers = Map.of();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse && status == 0) {
            HttpResponse head = (HttpResponse) msg;
            Map<String, List<String>> map = new LinkedHashMap<>();
            head.headers().forEach(h -> map.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>(1))
                    .add(h.getValue()));
            map.replaceAll((k, v) -> Collections.unmodifiableList(v));
            headers = Collections.unmodifiableMap(map);
            status = head.status().code();
        }
        ctx.fireChannelRead(msg);
    }

    /** Whether the proxy answered the CONNECT with 407 Proxy Authentication Required. */
    boolean authenticationRequired() {
        return status == 407;
    }

    int status() {
        return status;
    }

    /** The proxy's response headers, names in lower case. */
    Map<String, List<String>> headers() {
        return headers;
    }
}
