package dev.chat852.mock.internal;

import dev.chat852.Dialect;
import dev.chat852.TransportException;
import dev.chat852.mock.Fault;
import dev.chat852.mock.RecordedRequest;
import dev.chat852.mock.RecordedResponse;
import dev.chat852.mock.Recording;
import dev.chat852.protocol.ApiEnvelope;
import dev.chat852.protocol.ApiRequest;
import dev.chat852.protocol.ChatApi;
import dev.chat852.protocol.OpenAiApi;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Serves one client connection of the recorder: forwards each chat request to the upstream on the
 * same event loop, relays every piece of the answer the moment it is read, and writes a recording
 * with the pieces as read and their timing. The recording is on disk before the client sees the end
 * of the response.
 *
 * <p>The token is forwarded (the upstream needs it) and nothing else: it is in no recording, no log
 * line and no error message.
 */
public final class ProxyHandler extends OneAtATimeHandler {
    private static final System.Logger LOG = System.getLogger("dev.chat852.mock");

    /** Request headers not forwarded: hop-by-hop, and the ones the proxy sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            "accept-encoding", "http2-settings");
    /** Response headers neither relayed nor recorded: hop-by-hop, framing, cookies, CORS (set by the proxy). */
    private static final Set<String> NOT_KEPT = Set.of("connection", "keep-alive", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "content-length", "date", "set-cookie",
            "access-control-allow-origin", "access-control-allow-methods", "access-control-allow-headers",
            "access-control-expose-headers", "access-control-max-age", "access-control-allow-credentials");

    /** What one chunk costs to keep besides its bytes (object headers, fields, list slot), rounded up. */
    static final int CHUNK_OVERHEAD = 64;

    private final Upstream upstream;
    private final RecordingSink sink;
    private final int connectTimeoutMillis;
    private final long maxRecordingBytes;
    private Exchange current;

    /** @param maxRecordingBytes what one exchange may keep: its body bytes plus {@value #CHUNK_OVERHEAD} per chunk */
    public ProxyHandler(Upstream upstream, RecordingSink sink, int connectTimeoutMillis, long maxRecordingBytes) {
        this.upstream = upstream;
        this.sink = sink;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.maxRecordingBytes = maxRecordingBytes;
    }

    private void finished(ChannelHandlerContext ctx, boolean keepOpen) {
        current = null;
        answered(ctx, keepOpen);
    }

    @Override
    protected void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
        if (request.method().equals(HttpMethod.OPTIONS)) {
            respond(ctx, Cors.preflight(request), keepAlive);
            return;
        }
        String path = MockHandler.path(request.uri());
        Dialect dialect = path == null ? null : Dialect.ofPath(path).orElse(null);
        if (dialect == null || !request.method().equals(HttpMethod.POST)) {
            respond(ctx, error(HttpResponseStatus.NOT_FOUND, "chat852 recorder forwards POST "
                    + ChatApi.PATH + " and POST " + OpenAiApi.PATH + " only"), keepAlive);
            return;
        }
        current = new Exchange(ctx, request, keepAlive, dialect);
        current.start();
    }

    private void respond(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
        Cors.addTo(response.headers());
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(f -> finished(ctx, f.isSuccess() && keepAlive));
    }

    private static FullHttpResponse error(HttpResponseStatus status, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(ApiEnvelope.error(status.code(), message), StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ChatApi.JSON_CONTENT_TYPE);
        return response;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && ctx.channel().isWritable()) {
            current.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    protected void connectionClosed() {
        if (current != null) {
            current.clientGone();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "chat852 recorder: client connection error: {0}",
                cause.getClass().getSimpleName());
        ctx.close();
    }

    /** One request forwarded and its answer relayed and recorded. Runs on the client's event loop. */
    private final class Exchange {
        private final ChannelHandlerContext client;
        private final boolean keepAlive;
        private final String uri;
        private final HttpHeaders requestHeaders;
        private final byte[] body;
        private final ApiRequest chat;
        private final Instant startedAt = Instant.now();

        private Channel upstreamChannel;
        private long sentNanos;
        private long headNanos;
        private long lastChunkMs;
        private long recordedBytes;
        /** Bytes kept for the recording: the body so far plus {@link #CHUNK_OVERHEAD} per chunk. */
        private long kept;
        private RecordedResponse.Builder response;
        private boolean done;

        Exchange(ChannelHandlerContext client, FullHttpRequest request, boolean keepAlive, Dialect dialect) {
            this.client = client;
            this.keepAlive = keepAlive;
            this.uri = request.uri();
            this.requestHeaders = request.headers().copy();
            this.body = ByteBufUtil.getBytes(request.content());
            // An OpenAI key comes as Authorization: Bearer; it is forwarded, and kept out of the recording like a token.
            this.chat = dialect == Dialect.OPENAI
                    ? OpenAiApi.parse(body, request.headers().get(HttpHeaderNames.AUTHORIZATION)) : ApiRequest.parse(body);
        }

        void start() {
            new Bootstrap()
                    .group(client.channel().eventLoop())
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            if (upstream.ssl() != null) {
                                ch.pipeline().addLast(upstream.ssl().newHandler(ch.alloc(), upstream.host(), upstream.port()));
                            }
                            ch.pipeline().addLast(new HttpClientCodec(), new FromUpstream());
                        }
                    })
                    .connect(upstream.host(), upstream.port())
                    .addListener((ChannelFutureListener) f -> {
                        if (!f.isSuccess()) {
                            failed(f.cause());
                        } else if (done) {
                            f.channel().close();
                        } else {
                            upstreamChannel = f.channel();
                            forward();
                        }
                    });
        }

        private void forward() {
            FullHttpRequest out = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    upstream.path(uri), Unpooled.wrappedBuffer(body));
            for (Map.Entry<String, String> h : requestHeaders) {
                if (!NOT_FORWARDED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    out.headers().add(h.getKey(), h.getValue());
                }
            }
            out.headers().set(HttpHeaderNames.HOST, upstream.hostHeader());
            out.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            // Identity encoding, so that what is recorded are the answer's own bytes.
            out.headers().set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            sentNanos = System.nanoTime();
            upstreamChannel.writeAndFlush(out).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }

        private void onHead(HttpResponse head) {
            headNanos = System.nanoTime();
            response = RecordedResponse.builder()
                    .status(head.status().code())
                    .headersDelayMs(TimeUnit.NANOSECONDS.toMillis(headNanos - sentNanos));
            HttpResponse relayed = new DefaultHttpResponse(HttpVersion.HTTP_1_1, head.status());
            for (Map.Entry<String, String> h : head.headers()) {
                if (!NOT_KEPT.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    response.header(h.getKey(), h.getValue());
                    relayed.headers().add(h.getKey(), h.getValue());
                }
            }
            Cors.addTo(relayed.headers());
            relayed.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            relayed.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            client.writeAndFlush(relayed).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        private void onContent(HttpContent content) {
            if (response == null || done) {
                return;
            }
            if (content.content().isReadable()) {
                int readable = content.content().readableBytes();
                long room = maxRecordingBytes - kept - CHUNK_OVERHEAD;
                int take = (int) Math.max(0, Math.min(readable, room));
                if (take > 0) {
                    keep(ByteBufUtil.getBytes(content.content(), content.content().readerIndex(), take));
                }
                if (take < readable) {
                    overBound();
                    return;
                }
            }
            if (content instanceof LastHttpContent) {
                done = true;
                record(null);
                upstreamChannel.close();
                client.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
                        .addListener(f -> finished(client, f.isSuccess() && keepAlive));
            }
        }

        private void keep(byte[] bytes) {
            // Cumulative rounding: the delays add up to the recorded total without drift.
            long atMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - headNanos);
            response.chunk(atMs - lastChunkMs, bytes);
            lastChunkMs = atMs;
            recordedBytes += bytes.length;
            kept += bytes.length + CHUNK_OVERHEAD;
            client.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(bytes)))
                    .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            if (!client.channel().isWritable()) {
                upstreamChannel.config().setAutoRead(false); // resumed by clientWritable()
            }
        }

        /**
         * The answer is larger than one exchange may keep: this exchange fails, and only it. The client
         * got the bytes up to the bound and then a cut connection; the recording says exactly that.
         */
        private void overBound() {
            done = true;
            upstreamChannel.close();
            LOG.log(System.Logger.Level.WARNING, "chat852 recorder: the answer from {0} passed the bound of {1}"
                    + " bytes one exchange may keep (the body plus {2} per chunk; Recorder.Builder.maxRecordingBytes)"
                    + " after {3} body bytes: the client''s connection was cut there, and the recording ends in"
                    + " a truncate fault", upstream, maxRecordingBytes, CHUNK_OVERHEAD, recordedBytes);
            record(Fault.truncate(recordedBytes));
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> client.close());
        }

        /** The upstream connection ended or failed before the end of its answer. */
        private void failed(Throwable cause) {
            if (done) {
                return;
            }
            done = true;
            if (upstreamChannel != null) {
                upstreamChannel.close();
            }
            String why = cause == null ? "it closed the connection" : TransportException.describe(cause, upstream.uri());
            String message = "the upstream " + upstream + " failed " + (response == null ? "before answering: "
                    : "after " + recordedBytes + " byte(s) of its answer: ") + why;
            LOG.log(System.Logger.Level.WARNING, "chat852 recorder: {0}", message);
            if (response == null) {
                // Plain text, not the API's {code,message} wrapper: this 502 is the proxy's, not the API's.
                FullHttpResponse badGateway = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY,
                        Unpooled.copiedBuffer("chat852 recorder: " + message + "\n", StandardCharsets.UTF_8));
                badGateway.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                respond(client, badGateway, keepAlive);
            } else {
                // What the client got is what a replay gives: the bytes so far, then the connection cut.
                record(Fault.truncate(recordedBytes));
                client.close();
            }
        }

        void clientWritable() {
            if (upstreamChannel != null && !done) {
                upstreamChannel.config().setAutoRead(true);
            }
        }

        void clientGone() {
            if (!done) {
                done = true;
                LOG.log(System.Logger.Level.WARNING, "chat852 recorder: the client left before the end of the answer; nothing"
                        + " recorded");
            }
            if (upstreamChannel != null) {
                upstreamChannel.close();
            }
        }

        private void record(Fault fault) {
            if (fault != null) {
                response.fault(fault);
            }
            RecordedRequest.Builder matcher = RecordedRequest.builder();
            if (chat.problem().isEmpty()) {
                matcher.model(chat.model()).messages(chat.messages());
            }
            Recording.Builder recording = Recording.builder().dialect(chat.dialect()).request(matcher.build())
                    .response(response.build());
            sink.write(recording, startedAt, upstream + MockHandler.path(uri), chat.params(), chat.token());
        }

        private final class FromUpstream extends ChannelInboundHandlerAdapter {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (msg instanceof HttpObject && ((HttpObject) msg).decoderResult().isFailure()) {
                        failed(((HttpObject) msg).decoderResult().cause()); // e.g. a header line past Netty's bound
                        return;
                    }
                    if (msg instanceof HttpResponse) {
                        onHead((HttpResponse) msg);
                    }
                    if (msg instanceof HttpContent) {
                        onContent((HttpContent) msg);
                    }
                } finally {
                    ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                failed(null);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                failed(cause);
            }
        }
    }
}
