package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT over WebSockets (MQTT 3.1.1, 6): the bytes of binary frames go to the MQTT decoder as one stream,
 * since a packet may span frames and a frame may hold several packets; the encoded packets leave as
 * binary frames. A text frame closes the connection, as the spec asks. Control frames (ping, close) go
 * on to Vert.x, which answers them.
 */
@ChannelHandler.Sharable
final class WebSocketFraming extends ChannelDuplexHandler {

    static final WebSocketFraming INSTANCE = new WebSocketFraming();
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFraming.class);

    private WebSocketFraming() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof TextWebSocketFrame text) {
            text.release();
            LOG.info("closing {}: a text frame, where MQTT packets travel in binary frames", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf bytes ? new BinaryWebSocketFrame(bytes) : msg, promise);
    }
}
