package io.onramp.broker.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.net.SslHandshakeCompletionHandler;
import java.util.ArrayDeque;
import javax.net.ssl.SSLSession;

/**
 * MQTT in a WebSocket: the last handler before Vert.x's, it hands the decoded packets to the connection
 * and holds them back while the connection is paused (Vert.x would drop them: its WebSocket takes only
 * frames). Everything else (ping, close) goes on to Vert.x. Runs on the channel's event loop.
 */
final class WebSocketTransport extends ChannelInboundHandlerAdapter implements MqttTransport {

    private final ServerWebSocket webSocket;
    private final Channel channel;
    private MqttConnection connection;
    private boolean paused;
    /** Packets read while paused, in order; allocated when the first one waits. */
    private ArrayDeque<MqttMessage> held;

    WebSocketTransport(ServerWebSocket webSocket, Channel channel) {
        this.webSocket = webSocket;
        this.channel = channel;
    }

    void serve(MqttConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof MqttMessage packet)) {
            ctx.fireChannelRead(msg);
        } else if (paused || (held != null && !held.isEmpty())) {
            if (held == null) {
                held = new ArrayDeque<>(4);
            }
            held.add(packet);
        } else {
            connection.handle(packet);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held.clear();
        }
        connection.onClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public void pause() {
        paused = true;
        channel.config().setAutoRead(false);
    }

    @Override
    public void resume() {
        paused = false;
        MqttMessage next;
        // A held packet may pause the connection again (a second CONNECT closes it): stop there.
        while (!paused && held != null && (next = held.poll()) != null) {
            connection.handle(next);
        }
        if (!paused) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public SSLSession sslSession() {
        return webSocket.isSsl() ? webSocket.sslSession() : null;
    }

    @Override
    public String serverName() {
        return channel.hasAttr(SslHandshakeCompletionHandler.SERVER_NAME_ATTR)
                ? channel.attr(SslHandshakeCompletionHandler.SERVER_NAME_ATTR).get() : null;
    }
}
