package io.identitybroker.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * First in a connection's pipeline (before TLS): closes the connection when a request's headers
 * are not complete within the deadline, counted from the connection's opening (so a stalled TLS
 * handshake counts too) and, on a kept-alive connection, from the first byte after the previous
 * response. {@link HeadersComplete}, placed after the HTTP decoder, reports each decoded request
 * head and each finished response. Idle keep-alive connections are left to the idle timeout.
 * Everything runs on the connection's event loop, so the state needs no locking.
 */
final class HeaderDeadline extends ChannelDuplexHandler {
    static final String NAME = "identitybroker-header-deadline";

    private final long timeoutNanos;
    private ScheduledFuture<?> deadline;
    /** Between a finished response and the next request's first byte. */
    private boolean idle;

    HeaderDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            arm(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (deadline == null) {
            arm(ctx);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (idle) {
            idle = false;
            arm(ctx);
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        disarm();
        super.channelInactive(ctx);
    }

    void headersComplete() {
        disarm();
    }

    void responseComplete() {
        idle = true;
    }

    private void arm(ChannelHandlerContext ctx) {
        disarm();
        deadline = ctx.executor().schedule(() -> {
            ctx.close();
        }, timeoutNanos, TimeUnit.NANOSECONDS);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
