package io.onramp.broker.mqtt;

import io.netty.channel.Channel;
import io.vertx.core.internal.net.NetSocketInternal;
import javax.net.ssl.SSLSession;

/** MQTT straight on a TCP (or TLS) socket: Vert.x's socket holds packets back while paused. */
record TcpTransport(NetSocketInternal socket) implements MqttTransport {

    @Override
    public Channel channel() {
        return socket.channelHandlerContext().channel();
    }

    @Override
    public void pause() {
        socket.pause();
    }

    @Override
    public void resume() {
        socket.resume();
    }

    @Override
    public SSLSession sslSession() {
        return socket.isSsl() ? socket.sslSession() : null;
    }

    @Override
    public String serverName() {
        return socket.indicatedServerName();
    }
}
