package io.onramp.broker.hub;

import io.onramp.broker.hub.DeviceAuthenticator.Authenticated;
import io.vertx.core.Future;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The hubs as a protocol head other than MQTT (the gateway's AMQP links) sees them: which hubs are hosted here, who a
 * device is, and its session once it proved that. The MQTT realm goes through the same parts.
 */
public final class HubDevices {

    private final HubParts parts;
    private final HostedHubs hubs;
    private final DeviceAuthenticator authenticator;
    private final long skewSeconds;

    HubDevices(HubParts parts, HostedHubs hubs, DeviceAuthenticator authenticator, long skewSeconds) {
        this.parts = parts;
        this.hubs = hubs;
        this.authenticator = authenticator;
        this.skewSeconds = skewSeconds;
    }

    /** The hub hosted here under that host name (any case). */
    public Optional<HostedHub> hub(String hostName) {
        return hubs.find(hostName);
    }

    public List<String> hubHostNames() {
        return hubs.hostNames();
    }

    /**
     * Checks a device as at an MQTT CONNECT (hub-device-protocol.md 2): a SAS token for it, or its TLS client
     * certificate when its identity is an X.509 one. Fails with a {@link io.onramp.broker.mqtt.ConnectRefusedException}
     * whose message is the reason, for the log only.
     */
    public Future<Authenticated> authenticate(String hubHostName, String deviceId, String sasToken,
            Supplier<List<X509Certificate>> chain) {
        return authenticator.authenticate(hubHostName, deviceId, sasToken, chain);
    }

    /** The device's session on this connection: an older connection of the same device is closed. */
    public DeviceSession open(String hubHostName, Authenticated device, DeviceChannel channel) {
        DeviceSession session = new DeviceSession(parts, hubHostName, device.identity(), device.tokenExpiry(), skewSeconds,
                channel, false, DeviceSession.NO_SESSION);
        parts.attach(session);
        return session;
    }

    /** How late past its expiry a token is still taken: for a head that checks a renewed token's time itself. */
    public long skewSeconds() {
        return skewSeconds;
    }
}
