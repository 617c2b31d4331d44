package io.onramp.broker.hub;

import java.time.Instant;

/** Connection state and activity of devices as this node's broker sees them (hub-device-protocol.md 6.1). */
public interface DevicePresence {

    /** Never-seen devices answer {@link Presence#NEVER}. */
    Presence presence(String hubHostName, String deviceId);

    /** Number of queued cloud-to-device messages of the device. */
    int cloudToDeviceMessageCount(String hubHostName, String deviceId);

    /** Number of the hub's devices connected now, for {@code GET /statistics/service}. */
    int connectedCount(String hubHostName);

    record Presence(boolean connected, Instant connectionStateUpdatedTime, Instant lastActivityTime) {
        /** Azure's "never" time, 0001-01-01T00:00:00Z. */
        public static final Instant NEVER_TIME = Instant.parse("0001-01-01T00:00:00Z");
        public static final Presence NEVER = new Presence(false, NEVER_TIME, NEVER_TIME);
    }
}
