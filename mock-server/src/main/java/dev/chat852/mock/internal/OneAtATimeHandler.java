package dev.chat852.mock.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.AttributeKey;
import java.util.ArrayDeque;

/**
 * Answers the requests of one connection one at a time, in order, as HTTP/1.1 requires of pipelined
 * requests. While one is being answered, the next waits here, and one read stays pending: a further
 * pipelined request is queued, and a client that closes its connection is noticed at once rather than
 * at the next write. The mock and the recorder both answer this way.
 */
abstract class OneAtATimeHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> ANSWERING = AttributeKey.valueOf("chat852.answering");

    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private boolean busy;
    /** Set once the connection is to close: requests still arriving from the same read are dropped. */
    private boolean closing;

    /** Whether a response is under way on {@code channel} (for the aggregator, which must not answer then). */
    static boolean answering(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(ANSWERING).get());
    }

    /**
     * Starts answering {@code request} (released after this returns: copy what is needed later). Must
     * lead to exactly one {@link #answered} call, now or later, on the event loop.
     */
    protected abstract void handle(ChannelHandlerContext ctx, FullHttpRequest request);

    /** The connection closed: stop what {@link #handle} started. */
    protected abstract void connectionClosed();

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            ((FullHttpRequest) msg).release(); // pipelined behind a response that closes the connection
            return;
        }
        ctx.channel().config().setAutoRead(false);
        pending.add((FullHttpRequest) msg);
        if (pending.size() <= 1) {
            ctx.read();
        }
        if (!busy) {
            next(ctx);
        }
    }

    /**
     * The response to the current request is over: the next one is answered if the connection stays
     * open; otherwise the connection is closed (if it is not already).
     */
    protected final void answered(ChannelHandlerContext ctx, boolean keepOpen) {
        busy = false;
        ctx.channel().attr(ANSWERING).set(false);
        if (keepOpen && ctx.channel().isActive()) {
            next(ctx);
        } else {
            closing = true;
            releasePending();
            ctx.close();
        }
    }

    private void next(ChannelHandlerContext ctx) {
        FullHttpRequest request = pending.poll();
        if (request == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        busy = true;
        ctx.channel().attr(ANSWERING).set(true);
        try {
            handle(ctx, request);
        } finally {
            request.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connectionClosed();
        closing = true;
        releasePending();
        ctx.fireChannelInactive();
    }

    private void releasePending() {
        FullHttpRequest request;
        while ((request = pending.poll()) != null) {
            request.release();
        }
    }
}
