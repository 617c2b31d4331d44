package io.onramp.broker.mqtt;

import io.netty.channel.Channel;
import javax.net.ssl.SSLSession;

/**
 * What a connection needs from the stream under it, TCP or WebSocket: both carry the same MQTT packets
 * through the same codec on a Netty channel, and differ only in how reading is held back and where
 * the TLS session is. Called on the connection's event loop; only at CONNECT, never per packet.
 */
interface MqttTransport {

    /** The Netty channel the MQTT codec sits on: packets are written to it. */
    Channel channel();

    /** Stops handing packets to the connection until {@link #resume()}: what the client sends meanwhile waits. */
    void pause();

    void resume();

    /** The TLS session the client connected with, or null for a plaintext connection. */
    SSLSession sslSession();

    /** The host name the client asked for (TLS SNI, or the WebSocket's Host), or null. */
    String serverName();
}
