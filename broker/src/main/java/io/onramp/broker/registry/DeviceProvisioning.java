package io.onramp.broker.registry;

import java.util.Map;

/**
 * What the provisioning service asks of a hub: make this device exist with these credentials
 * (keys for {@code sas}, thumbprints for {@code selfSigned}, neither for {@code certificateAuthority}).
 * The initial twin applies to a new device, or to an existing one under {@link TwinMode#RESET}.
 *
 * @param owner who the identity is made for (the provisioning service's registration, as one key whatever its
 *              case): an identity made for one owner, or through the registry API, is never re-keyed for another.
 *              Null for a caller that owns nothing, which may refresh only identities that have no owner either.
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
        TwinMode twinMode,
        String owner) {

    public DeviceProvisioning {
        initialTags = initialTags == null ? Map.of() : initialTags;
        initialDesired = initialDesired == null ? Map.of() : initialDesired;
    }

    /** A device with no owner. */
    public DeviceProvisioning(String hubHostName, String deviceId, AuthType authType, String primaryKey,
            String secondaryKey, String primaryThumbprint, String secondaryThumbprint, boolean iotEdge,
            Map<String, Object> initialTags, Map<String, Object> initialDesired, TwinMode twinMode) {
        this(hubHostName, deviceId, authType, primaryKey, secondaryKey, primaryThumbprint, secondaryThumbprint, iotEdge,
                initialTags, initialDesired, twinMode, null);
    }

    /** A device with keys, no thumbprints and no owner. */
    public DeviceProvisioning(String hubHostName, String deviceId, AuthType authType, String primaryKey,
            String secondaryKey, boolean iotEdge, Map<String, Object> initialTags, Map<String, Object> initialDesired,
            TwinMode twinMode) {
        this(hubHostName, deviceId, authType, primaryKey, secondaryKey, null, null, iotEdge, initialTags,
                initialDesired, twinMode);
    }
}
