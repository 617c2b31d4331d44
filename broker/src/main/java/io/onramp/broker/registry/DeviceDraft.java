package io.onramp.broker.registry;

/**
 * The identity the service asks for when it creates or updates a device ({@code PUT /devices/{id}},
 * hub-device-protocol.md 6.1, 6.3). Null or empty keys of a {@code sas} device are generated.
 */
public record DeviceDraft(
        String hubHostName,
        String deviceId,
        DeviceStatus status,
        String statusReason,
        AuthType authType,
        String primaryKey,
        String secondaryKey,
        String primaryThumbprint,
        String secondaryThumbprint,
        boolean iotEdge) {}
