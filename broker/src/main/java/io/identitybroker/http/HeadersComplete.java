package io.identitybroker.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;

/** After the HTTP decoder: tells the connection's {@link HeaderDeadline} when a request head arrived and a response ended. */
final class HeadersComplete extends ChannelDuplexHandler {
    static final String NAME = "identitybroker-headers-complete";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            HeaderDeadline deadline = ctx.pipeline().get(HeaderDeadline.class);
            if (deadline != null) {
                deadline.headersComplete();
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof LastHttpContent) {
            HeaderDeadline deadline = ctx.pipeline().get(HeaderDeadline.class);
            if (deadline != null) {
                deadline.responseComplete();
            }
        }
        super.write(ctx, msg, promise);
    }
}
