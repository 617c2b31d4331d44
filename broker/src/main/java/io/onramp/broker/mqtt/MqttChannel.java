package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;

/** The server's side of one client connection, as sessions use it. Safe to call from any thread. */
public interface MqttChannel {

    /**
     * Sends a PUBLISH. Takes ownership of {@code payload}. The future succeeds when the client
     * acknowledged it (QoS 1) or it was written (QoS 0); it fails when the connection closes first
     * or the outbound queue is full, in which case the message is dropped: the queue is bounded so
     * that a slow client cannot exhaust the broker's memory.
     */
    default Future<Void> publish(String topic, MqttQoS qos, ByteBuf payload) {
        return publish(topic, qos, payload, false);
    }

    /**
     * Like {@link #publish(String, MqttQoS, ByteBuf)}; {@code duplicate} sets the DUP flag: a QoS 1 message this
     * client's session may have received before (MQTT 3.1.1, 3.3.1.1).
     */
    Future<Void> publish(String topic, MqttQoS qos, ByteBuf payload, boolean duplicate);

    /** Like {@link #publish} without tracking the outcome: cheaper for fire-and-forget fan-out. */
    boolean offer(String topic, MqttQoS qos, ByteBuf payload);

    /** Runs a task on this connection's event loop, after what it is doing now. */
    void execute(Runnable task);

    void close();

    String remoteAddress();

    /** The client's IP address without its port (for limits by address), or null when the transport has none. */
    String clientAddress();
}
