package dev.chat852.mock.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Puts a response on the wire one byte per write and flush, a pause apart: it sits next to the socket,
 * after the HTTP encoder, so the status line, headers and chunk framing go out byte by byte too. A
 * write's promise completes once its last byte has been taken by the socket, so whoever waits for a
 * write (the end of a replay, a reset) waits for every byte. The pauses are event-loop timers.
 *
 * <p>Added for one response and removed when it is over; all methods run on the event loop.
 */
final class BytePacer extends ChannelOutboundHandlerAdapter {
    static final String NAME = "chat852-byte-pacer";

    private final long pauseNanos;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private boolean draining;

    private record Pending(ByteBuf bytes, ChannelPromise promise) {
    }

    BytePacer(long pauseNanos) {
        this.pauseNanos = pauseNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf)) {
            ctx.write(msg, promise); // the encoder only writes ByteBufs; anything else passes as it is
            return;
        }
        pending.add(new Pending((ByteBuf) msg, promise));
        if (!draining) {
            draining = true;
            ctx.executor().execute(this::next);
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (pending.isEmpty()) {
            ctx.flush(); // every paced byte is flushed on its own
        }
    }

    /** Writes the next byte, then schedules the one after it. */
    private void next() {
        Pending p = pending.peek();
        while (p != null && !p.bytes().isReadable()) {
            pending.poll();
            p.bytes().release();
            p.promise().trySuccess(); // an empty write, or the last byte already went with its own promise
            p = pending.peek();
        }
        if (p == null) {
            draining = false;
            return;
        }
        if (!ctx.channel().isActive()) {
            failAll(new ClosedChannelException());
            return;
        }
        ByteBuf one = p.bytes().readRetainedSlice(1);
        boolean last = !p.bytes().isReadable();
        ChannelPromise promise = p.promise();
        ctx.writeAndFlush(one).addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(f.cause());
            } else if (last) {
                promise.trySuccess();
            }
        });
        if (last) {
            pending.poll();
            p.bytes().release();
        }
        if (pauseNanos > 0) {
            ctx.executor().schedule(this::next, pauseNanos, TimeUnit.NANOSECONDS);
        } else {
            ctx.executor().execute(this::next);
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        failAll(new ClosedChannelException());
    }

    private void failAll(Throwable cause) {
        Pending p;
        while ((p = pending.poll()) != null) {
            p.bytes().release();
            p.promise().tryFailure(cause);
        }
        draining = false;
    }
}
