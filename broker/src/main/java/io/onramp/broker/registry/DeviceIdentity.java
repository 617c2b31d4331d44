package io.onramp.broker.registry;

import java.time.Instant;

/** A device identity in a hub's registry (hub-device-protocol.md 6.1). */
public record DeviceIdentity(
        String hubHostName,
        String deviceId,
        String generationId,
        String etag,
        DeviceStatus status,
        AuthType authType,
        String primaryKey,
        String secondaryKey,
        boolean iotEdge,
        Instant createdTime,
        Instant updatedTime) {}
