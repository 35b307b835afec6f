package dev.chat852.transport.netty.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * One pooled connection: the last handler of its channel's pipeline. It passes what the channel reads
 * to the exchange it serves; between exchanges it keeps one read pending, so a server that closes an
 * idle connection is noticed at once and the connection leaves the pool.
 *
 * <p>{@link #reader} is confined to the channel's event loop; {@link #state} is guarded by the pool.
 */
final class Connection extends ChannelInboundHandlerAdapter {
    /** Where the connection is in its pool. */
    enum State { LEASED, IDLE, GONE }

    private final HostPool pool;
    private final Channel channel;
    // -- guarded by pool
    State state = State.LEASED; // counted from the moment its connect starts
    // -- event loop only
    private ResponseReader reader;

    Connection(HostPool pool, Channel channel) {
        this.pool = pool;
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    /** On the event loop: {@code ex}, an exchange's reader, receives what is read from now on. */
    void attach(ResponseReader ex) {
        reader = ex;
    }

    /** On the event loop: the exchange is over; reads from now on are unexpected. */
    void detach() {
        reader = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ResponseReader ex = reader;
        if (ex != null) {
            ex.onMessage(msg);
        } else {
            // bytes while idle: the server broke HTTP/1.1 framing, so nothing on this connection can be trusted
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ResponseReader ex = reader;
        if (ex != null) {
            ex.onReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ResponseReader ex = reader;
        if (ex != null) {
            ex.onInactive();
        } else {
            pool.closedWhileIdle(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ResponseReader ex = reader;
        if (ex != null) {
            ex.onFailure(cause);
        } else {
            ctx.close();
        }
    }

    @Override
    public String toString() {
        return "Connection{" + channel + "}";
    }
}
