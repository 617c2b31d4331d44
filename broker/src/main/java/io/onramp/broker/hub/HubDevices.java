package io.onramp.broker.hub;

import io.onramp.broker.hub.DeviceAuthenticator.Authenticated;
import io.netty.buffer.ByteBuf;
import io.onramp.broker.topic.MessageProperties;
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

    /**
     * Telemetry of a device that proved itself for this one request (HTTPS, spec 5): the same stamps and limits as
     * from a connection, and nothing comes back.
     */
    public Future<Void> telemetry(String hubHostName, Authenticated device, MessageProperties sent, ByteBuf body) {
        DeviceSession request = new DeviceSession(parts, hubHostName, device.identity(), null, skewSeconds,
                REQUEST_ONLY, false, DeviceSession.NO_SESSION);
        parts.connected().activeWithoutConnection(hubHostName, device.identity().deviceId());
        return request.telemetry(sent, body);
    }

    /** The oldest cloud-to-device message waiting for a device that polls, locked to it; empty when none waits. */
    public Future<Optional<LockedMessage>> lockCloudToDevice(String hubHostName, String deviceId) {
        parts.connected().activeWithoutConnection(hubHostName, deviceId);
        return parts.cloudToDevice().lockNext(hubHostName, deviceId);
    }

    /** The polling device settled the message it holds the lock of; 412 HubException for a lock not held. */
    public Future<Void> settleCloudToDevice(String hubHostName, String deviceId, String lockToken,
            DeviceChannel.Settlement settlement) {
        return parts.cloudToDevice().settleLocked(hubHostName, deviceId, lockToken, settlement);
    }

    /** A device reached only by its requests: the hub never pushes anything to it. */
    private static final DeviceChannel REQUEST_ONLY = new DeviceChannel() {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void close() {
        }

        @Override
        public void twinResponse(String requestId, int status, Long version, String body) {
        }

        @Override
        public void desiredPatch(String body, long version) {
        }

        @Override
        public void methodRequest(String methodName, String requestId, String payloadJson) {
        }

        @Override
        public Future<Settlement> cloudToDevice(CloudDelivery delivery) {
            return Future.failedFuture("a device that polls gets its messages by polling");
        }
    };

    /** How late past its expiry a token is still taken: for a head that checks a renewed token's time itself. */
    public long skewSeconds() {
        return skewSeconds;
    }
}
