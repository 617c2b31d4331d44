package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;

/**
 * What one accepted connection does with the client's packets. All methods run on the connection's
 * event loop. The connection takes care of the protocol itself (ids, acks, keep-alive, order).
 */
public interface MqttSession {

    /** Whether a stored session was resumed (CONNACK session-present). */
    default boolean sessionPresent() {
        return false;
    }

    /** The QoS granted to a SUBSCRIBE filter, or {@code 0x80} to refuse it. */
    int subscribe(String filter, MqttQoS requested);

    void unsubscribe(String filter);

    /**
     * A PUBLISH from the client, with its RETAIN flag. {@code payload} is released when this returns:
     * retain it to keep it. For QoS 1 the PUBACK goes out when the future succeeds; a failed future
     * closes the connection without acknowledging, so the client sends the message again.
     */
    Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload);

    /**
     * The connection is gone. {@code disconnected}: the client said DISCONNECT; otherwise it was lost
     * (network, keep-alive, protocol error, {@link MqttChannel#close}), which is when a will applies.
     */
    void closed(boolean disconnected);
}
