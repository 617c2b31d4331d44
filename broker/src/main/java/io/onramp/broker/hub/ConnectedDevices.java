package io.onramp.broker.hub;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices connected to this node's broker, one session per identity (a new connection of the
 * same device closes the old one), and when each device was last connected or active.
 */
public final class ConnectedDevices implements DevicePresence {

    private final Clock clock;
    private final Map<String, DeviceSession> live = new ConcurrentHashMap<>();
    /** Devices seen since start that are no longer connected, with what a persistent session keeps. */
    private final Map<String, Departed> gone = new ConcurrentHashMap<>();
    private CloudToDeviceQueues cloudToDevice;

    public ConnectedDevices(Clock clock) {
        this.clock = clock;
    }

    void useQueues(CloudToDeviceQueues queues) {
        this.cloudToDevice = queues;
    }

    static String key(String hubHostName, String deviceId) {
        return HostedHubs.key(hubHostName) + '/' + deviceId;
    }

    /**
     * When a device left: its presence, and its subscriptions if it had asked for a persistent
     * session (CleanSession = 0), else {@link DeviceSession#NO_SESSION}.
     */
    private record Departed(Presence presence, int subscriptions) {}

    /**
     * The subscriptions a persistent session left for this device, or {@link DeviceSession#NO_SESSION}.
     * A clean session drops them (MQTT 3.1.2.4). The live connection being replaced counts as left.
     */
    int storedSubscriptions(String key, boolean cleanSession) {
        DeviceSession live = this.live.get(key);
        int stored = live != null ? live.persistentSubscriptions()
                : gone.getOrDefault(key, NEVER_SEEN).subscriptions();
        if (cleanSession) {
            gone.computeIfPresent(key, (k, d) -> new Departed(d.presence(), DeviceSession.NO_SESSION));
            return DeviceSession.NO_SESSION;
        }
        return stored;
    }

    private static final Departed NEVER_SEEN = new Departed(Presence.NEVER, DeviceSession.NO_SESSION);

    void attach(DeviceSession session) {
        DeviceSession previous = live.put(session.key(), session);
        gone.remove(session.key());
        if (previous != null && previous != session) {
            previous.replaced();
        }
    }

    void detach(DeviceSession session) {
        if (live.remove(session.key(), session)) {
            Instant now = clock.instant();
            gone.put(session.key(), new Departed(new Presence(false, now, session.lastActivity()),
                    session.persistentSubscriptions()));
        }
    }

    /**
     * A device that is not connected did something (an HTTPS request): its {@code lastActivityTime} moves, its
     * connection state stays what it was.
     */
    void activeWithoutConnection(String hubHostName, String deviceId) {
        String key = key(hubHostName, deviceId);
        if (live.containsKey(key)) {
            return;
        }
        Instant now = clock.instant();
        gone.compute(key, (k, departed) -> departed == null
                ? new Departed(new Presence(false, Presence.NEVER_TIME, now), DeviceSession.NO_SESSION)
                : new Departed(new Presence(false, departed.presence().connectionStateUpdatedTime(), now),
                        departed.subscriptions()));
    }

    DeviceSession session(String hubHostName, String deviceId) {
        return live.get(key(hubHostName, deviceId));
    }

    @Override
    public Presence presence(String hubHostName, String deviceId) {
        String key = key(hubHostName, deviceId);
        DeviceSession session = live.get(key);
        if (session != null) {
            return new Presence(true, session.connectedAt(), session.lastActivity());
        }
        return gone.getOrDefault(key, NEVER_SEEN).presence();
    }

    @Override
    public int cloudToDeviceMessageCount(String hubHostName, String deviceId) {
        return cloudToDevice == null ? 0 : cloudToDevice.count(hubHostName, deviceId);
    }

    /**
     * Closes the connections whose SAS token expired. One sweep over the connected devices every few
     * seconds costs less than a timer per connection, which an idle connection would carry for an hour.
     */
    public void closeExpired() {
        long now = clock.millis();
        for (DeviceSession session : live.values()) {
            session.closeIfExpired(now);
        }
    }

    public int connectedCount() {
        return live.size();
    }

    @Override
    public int connectedCount(String hubHostName) {
        String prefix = key(hubHostName, "");
        return (int) live.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }
}
