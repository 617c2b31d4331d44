package io.onramp.broker.registry;

import io.onramp.broker.hub.DevicePresence;
import java.time.Instant;
import java.util.Objects;

/**
 * A device identity in a hub's registry (hub-device-protocol.md 6.1). {@code statusUpdatedTime}
 * is {@link DevicePresence.Presence#NEVER_TIME} while the status never changed; thumbprints are set
 * for {@code selfSigned} devices only.
 */
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
        Instant updatedTime,
        String statusReason,
        Instant statusUpdatedTime,
        String primaryThumbprint,
        String secondaryThumbprint) {

    public DeviceIdentity {
        statusUpdatedTime = statusUpdatedTime == null ? DevicePresence.Presence.NEVER_TIME : statusUpdatedTime;
    }

    /** An identity with no status reason, status never changed and no thumbprints (what provisioning makes). */
    public DeviceIdentity(String hubHostName, String deviceId, String generationId, String etag, DeviceStatus status,
            AuthType authType, String primaryKey, String secondaryKey, boolean iotEdge, Instant createdTime,
            Instant updatedTime) {
        this(hubHostName, deviceId, generationId, etag, status, authType, primaryKey, secondaryKey, iotEdge, createdTime,
                updatedTime, null, null, null, null);
    }

    /** True when {@code other} authenticates differently: another type, key or thumbprint. */
    public boolean credentialsDifferFrom(DeviceIdentity other) {
        return authType != other.authType
                || !Objects.equals(primaryKey, other.primaryKey) || !Objects.equals(secondaryKey, other.secondaryKey)
                || !Objects.equals(primaryThumbprint, other.primaryThumbprint)
                || !Objects.equals(secondaryThumbprint, other.secondaryThumbprint);
    }
}
