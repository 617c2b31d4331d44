package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.onramp.broker.topic.MessageProperties;
import java.time.Instant;

/**
 * One device-to-cloud message as the hub accepted it: who sent it (from the authenticated
 * connection, never from the message), its properties with the hub's own stamped (spec 3.4:
 * {@code iothub-connection-device-id}, {@code iothub-connection-auth-method},
 * {@code iothub-connection-auth-generation-id}, {@code iothub-enqueuedtime}), its body, and the topic
 * consumers get it on: the device's canonical topic with the same properties in its bag.
 * The body is only valid during the call that hands the message over: retain it to keep it.
 *
 * @param sentProperties what the device sent (and the marks the hub adds), without the stamps
 * @param authMethod     the connection's {@code iothub-connection-auth-method} stamp
 */
public record TelemetryMessage(
        String hubHostName,
        String deviceId,
        String moduleId,
        String generationId,
        String authMethod,
        String topic,
        MessageProperties sentProperties,
        ByteBuf body,
        Instant enqueuedTime) {

    /**
     * The properties with the hub's stamps, made when asked: consumers read them from {@link #topic}, so only a
     * forwarder needs them, and making them for every message was two fifths of what a telemetry flood allocated.
     */
    public MessageProperties properties() {
        return sentProperties.withSystem(HubStamps.of(deviceId, authMethod, generationId, enqueuedTime));
    }
}
