package io.onramp.broker.hub;

import io.netty.buffer.ByteBuf;
import io.onramp.broker.topic.MessageProperties;
import java.time.Instant;

/**
 * One device-to-cloud message as the hub accepted it: who sent it (from the authenticated
 * connection, never from the message), its properties, its body, and the topic it came on.
 * The body is only valid during the call that hands the message over: retain it to keep it.
 */
public record TelemetryMessage(
        String hubHostName,
        String deviceId,
        String moduleId,
        String generationId,
        String topic,
        MessageProperties properties,
        ByteBuf body,
        Instant enqueuedTime) {}
