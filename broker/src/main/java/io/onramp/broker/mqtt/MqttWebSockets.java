package io.onramp.broker.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;

/**
 * MQTT over WebSockets for one HTTP server instance: a WebSocket the server accepted gets the same MQTT
 * connection, codec and realms as a socket of the TCP listener, its binary frames read as one byte stream.
 * Create it on the HTTP server's context (its deadlines are swept there) and close it when the server stops.
 */
public final class MqttWebSockets implements AutoCloseable {

    /** The largest MQTT fixed header (type byte and a four-byte remaining length), beyond the decoder's limit. */
    private static final int MAX_FIXED_HEADER = 5;

    private final Vertx vertx;
    private final MqttLimits limits;
    private final MqttConnectHandler realm;
    private final Deadlines deadlines = new Deadlines();
    private final long sweep;

    public MqttWebSockets(Vertx vertx, MqttLimits limits, MqttConnectHandler realm) {
        this.vertx = vertx;
        this.limits = limits;
        this.realm = realm;
        this.sweep = vertx.setPeriodic(MqttListener.SWEEP_MILLIS, id -> deadlines.sweep(System.nanoTime()));
    }

    /**
     * The frame size the HTTP server must accept: clients (Paho, mqtt.js) send each packet in one frame, so
     * a frame holds up to one packet of the largest size the MQTT listener takes.
     */
    public static int maxFrameBytes(MqttLimits limits) {
        return limits.maxPacketBytes() + MAX_FIXED_HEADER;
    }

    /** Serves MQTT on a WebSocket just accepted. Call on its event loop, before its first frame is read. */
    public void accept(ServerWebSocket webSocket) {
        ChannelPipeline pipeline = WebSocketChannels.takeOver(webSocket);
        Channel channel = pipeline.channel();
        WebSocketTransport transport = new WebSocketTransport(webSocket, channel);
        pipeline.addBefore("handler", "mqttWebSocket", transport);
        pipeline.addBefore("mqttWebSocket", "mqttFraming", WebSocketFraming.INSTANCE);
        MqttConnection connection = new MqttConnection(transport, limits, realm, deadlines);
        transport.serve(connection);
        MqttPipeline.add(pipeline, "mqttWebSocket", limits, connection);
    }

    /** Open connections stay; their deadlines are no longer checked. */
    @Override
    public void close() {
        vertx.cancelTimer(sweep);
    }
}
