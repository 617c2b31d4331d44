package io.onramp.broker.registry;

import java.util.Map;

/**
 * What the provisioning service asks of a hub: make this device exist with these credentials
 * (keys for {@code sas}, thumbprints for {@code selfSigned}, neither for {@code certificateAuthority}).
 * The initial twin applies to a new device, or to an existing one under {@link TwinMode#RESET}.
 */
public record DeviceProvisioning(
        String hubHostName,
        String deviceId,
        AuthType authType,
        String primaryKey,
        String secondaryKey,
        String primaryThumbprint,
        String secondaryThumbprint,
        boolean iotEdge,
        Map<String, Object> initialTags,
        Map<String, Object> initialDesired,
        TwinMode twinMode) {

    public DeviceProvisioning {
        initialTags = initialTags == null ? Map.of() : initialTags;
        initialDesired = initialDesired == null ? Map.of() : initialDesired;
    }

    /** A device with keys and no thumbprints. */
    public DeviceProvisioning(String hubHostName, String deviceId, AuthType authType, String primaryKey,
            String secondaryKey, boolean iotEdge, Map<String, Object> initialTags, Map<String, Object> initialDesired,
            TwinMode twinMode) {
        this(hubHostName, deviceId, authType, primaryKey, secondaryKey, null, null, iotEdge, initialTags,
                initialDesired, twinMode);
    }
}
