package io.onramp.broker.mqtt;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;

/** The channel of a WebSocket the HTTP server accepted, for a byte protocol (MQTT, AMQP) to take over. */
public final class WebSocketChannels {

    private WebSocketChannels() {
    }

    /**
     * The WebSocket's pipeline without the HTTP server's idle timeout, which would cut a device whose keep-alive or
     * heartbeat is longer (the C SDK's MQTT keep-alive is 240 s): the protocol's own deadlines govern from now on, as
     * on its own listener. Call on the WebSocket's event loop, before its first frame is read.
     */
    public static ChannelPipeline takeOver(ServerWebSocket webSocket) {
        ChannelPipeline pipeline = ((WebSocketInternal) webSocket).channelHandlerContext().pipeline();
        IdleStateHandler idle = pipeline.get(IdleStateHandler.class);
        if (idle != null) {
            pipeline.remove(idle);
        }
        return pipeline;
    }
}
