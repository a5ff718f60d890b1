package io.identitybroker.http;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import jakarta.inject.Singleton;

/**
 * Bounds the time a client has to send its request headers ({@code broker.http.request-header-timeout}):
 * a connection that has not completed them in time is closed, so slow or stalled clients (slowloris)
 * cannot hold connections open. Netty's idle timeouts do not do this: a client that trickles a byte
 * now and then is never idle.
 */
@Singleton
public class RequestHeaderTimeout implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {
    private final HttpConfiguration properties;

    public RequestHeaderTimeout(HttpConfiguration properties) {
        this.properties = properties;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new NettyServerCustomizer() {
            @Override
            public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
                return role == ChannelRole.CONNECTION ? new ForConnection(channel) : this;
            }
        });
        return event.getBean();
    }

    private final class ForConnection implements NettyServerCustomizer {
        private final Channel channel;

        ForConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return this;
        }

        @Override
        public void onInitialPipelineBuilt() {
            if (channel.pipeline().get(HeaderDeadline.NAME) == null) {
                channel.pipeline().addFirst(HeaderDeadline.NAME, new HeaderDeadline(properties.getRequestHeaderTimeout()));
            }
        }

        @Override
        public void onStreamPipelineBuilt() {
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(HeadersComplete.NAME) != null) {
                return;
            }
            String decoder = pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    ? ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC : ChannelPipelineCustomizer.HANDLER_HTTP_DECODER;
            if (pipeline.get(decoder) != null) {
                pipeline.addAfter(decoder, HeadersComplete.NAME, new HeadersComplete());
            } else {
                // No HTTP/1 decoder (e.g. HTTP/2): never leave a deadline armed that nothing can disarm.
                pipeline.remove(HeaderDeadline.NAME);
            }
        }
    }
}
