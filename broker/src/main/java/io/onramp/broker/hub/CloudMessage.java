package io.onramp.broker.hub;

import java.time.Instant;
import java.util.Map;

/**
 * A cloud-to-device message as the service sent it. {@code systemProperties} use the hub names
 * ({@code message-id}, {@code correlation-id}, {@code user-id}, {@code content-type},
 * {@code content-encoding}, {@code iothub-ack}); {@code expiresAt} may be null (default TTL).
 */
public record CloudMessage(
        byte[] body,
        Map<String, String> systemProperties,
        Map<String, String> applicationProperties,
        Instant expiresAt) {

    public CloudMessage {
        systemProperties = Map.copyOf(systemProperties);
        applicationProperties = Map.copyOf(applicationProperties);
    }
}
