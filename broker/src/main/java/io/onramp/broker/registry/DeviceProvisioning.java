package io.onramp.broker.registry;

import java.util.Map;

/**
 * What the provisioning service asks of a hub: make this device exist with these credentials.
 * The initial twin applies to a new device, or to an existing one under {@link TwinMode#RESET}.
 */
public record DeviceProvisioning(
        String hubHostName,
        String deviceId,
        AuthType authType,
        String primaryKey,
        String secondaryKey,
        boolean iotEdge,
        Map<String, Object> initialTags,
        Map<String, Object> initialDesired,
        TwinMode twinMode) {

    public DeviceProvisioning {
        initialTags = initialTags == null ? Map.of() : initialTags;
        initialDesired = initialDesired == null ? Map.of() : initialDesired;
    }
}
