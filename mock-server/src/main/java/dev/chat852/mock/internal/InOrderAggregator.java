package dev.chat852.mock.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * The request aggregator, minus the answers it would write on its own ahead of the handler: with one
 * response still streaming, a pipelined request's {@code 100 Continue}, {@code 417} or {@code 413} would
 * land in the middle of it. Expectations are not answered (the request is simply served, as RFC 9110
 * allows); an oversized request is answered with 413 only when no response is under way, and otherwise
 * ends the connection, which cannot answer it in order.
 */
final class InOrderAggregator extends HttpObjectAggregator {

    InOrderAggregator(int maxContentLength) {
        super(maxContentLength);
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        return null;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (OneAtATimeHandler.answering(ctx.channel())) {
            ctx.close();
        } else {
            super.handleOversizedMessage(ctx, oversized);
        }
    }
}
