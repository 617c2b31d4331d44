package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A byte protocol over WebSockets (MQTT 3.1.1, 6; AMQP WebSocket binding 1.0): the bytes of binary frames go on
 * as one stream, since a packet or frame of the protocol may span WebSocket frames and a WebSocket frame may hold
 * several; the protocol's bytes leave as binary frames. A text frame closes the connection, as both specs ask.
 * Control frames (ping, close) go on to Vert.x's WebSocket, which answers them, or, where a byte stream replaced
 * it ({@link #ANSWERING_CONTROL_FRAMES}), are answered here.
 */
@ChannelHandler.Sharable
public final class WebSocketFraming extends ChannelDuplexHandler {

    /** Before Vert.x's WebSocket handler, which answers the control frames. */
    static final WebSocketFraming INSTANCE = new WebSocketFraming(false);
    /** Where nothing after it knows WebSockets: answers a ping with a pong and a close with a close. */
    public static final WebSocketFraming ANSWERING_CONTROL_FRAMES = new WebSocketFraming(true);
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketFraming.class);

    private final boolean answersControlFrames;

    private WebSocketFraming(boolean answersControlFrames) {
        this.answersControlFrames = answersControlFrames;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof BinaryWebSocketFrame || msg instanceof ContinuationWebSocketFrame) {
            ctx.fireChannelRead(((WebSocketFrame) msg).content());
        } else if (msg instanceof TextWebSocketFrame text) {
            text.release();
            LOG.info("closing {}: a text frame, where the protocol travels in binary frames", ctx.channel().remoteAddress());
            ctx.close();
        } else if (!answersControlFrames) {
            ctx.fireChannelRead(msg);
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content()));
        } else if (msg instanceof CloseWebSocketFrame close) {
            // RFC 6455 5.5.1: the close frame goes back (with the client's status code), then the connection.
            ctx.writeAndFlush(close).addListener(ChannelFutureListener.CLOSE);
        } else {
            ReferenceCountUtil.release(msg); // a pong
        }
    }

    /**
     * A frame Netty's decoder refused (a reserved opcode, an unmasked frame, one over the size limit) is the client's
     * protocol error, not the server's fault: answered with the close frame RFC 6455 7.1.7 asks for, with the decoder's
     * status (1002, 1009), then the connection closed from here, below Vert.x's WebSocket, which would send a close
     * frame of its own. Passed on, the exception had Vert.x close the connection with nothing sent and log an ERROR.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException refused)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        LOG.info("closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        ctx.writeAndFlush(new CloseWebSocketFrame(refused.closeStatus())).addListener(sent -> ctx.close());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg instanceof ByteBuf bytes ? new BinaryWebSocketFrame(bytes) : msg, promise);
    }
}
