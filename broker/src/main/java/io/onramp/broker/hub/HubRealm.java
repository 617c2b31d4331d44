package io.onramp.broker.hub;

import io.onramp.broker.mqtt.ConnectRefusedException;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttConnect;
import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.broker.topic.DeviceTopic;
import io.onramp.broker.topic.HubUserName;
import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECTs addressed to a hub hosted here: devices ({@code {hub}/{deviceId}/?…}, a SAS token for
 * that device or its client certificate) and the hub's telemetry consumers ({@code {hub}/$service[/?…]},
 * an {@code iothubowner} token).
 */
final class HubRealm implements MqttConnectHandler {

    private static final Logger LOG = LoggerFactory.getLogger(HubRealm.class);
    static final String SERVICE_USER = "$service";

    private final HubParts parts;
    private final HostedHubs hubs;
    private final DeviceAuthenticator devices;
    private final HubServiceTokens serviceTokens;
    private final long skewSeconds;

    HubRealm(HubParts parts, HostedHubs hubs, DeviceAuthenticator devices, HubServiceTokens serviceTokens, long skewSeconds) {
        this.parts = parts;
        this.hubs = hubs;
        this.devices = devices;
        this.serviceTokens = serviceTokens;
        this.skewSeconds = skewSeconds;
    }

    @Override
    public Future<MqttSession> connect(MqttConnect connect, MqttChannel channel) {
        String userName = connect.userName();
        if (userName == null) {
            return refused("no user name");
        }
        String serviceHub = serviceHub(userName);
        if (serviceHub != null) {
            return consumer(serviceHub, connect, channel);
        }
        Optional<HubUserName> parsed = HubUserName.parse(userName);
        if (parsed.isEmpty()) {
            return refused("malformed user name " + userName);
        }
        HubUserName user = parsed.get();
        if (user.apiVersion() == null) {
            // edgeHub refuses this; we let it in (spec 3.1 [D]) and leave a trace for whoever wonders why.
            LOG.debug("{} connects with a user name without api-version: {}", connect.clientId(), userName);
        }
        Optional<HostedHub> hub = hubs.find(user.hubHostName());
        if (hub.isEmpty()) {
            return refused("no hub is hosted as " + user.hubHostName());
        }
        if (user.moduleId() != null) {
            return refused("module identities are not supported");
        }
        if (!connect.clientId().equals(user.deviceId())) {
            return refused("client id " + connect.clientId() + " is not the device " + user.deviceId());
        }
        if (connect.will() != null
                && !(DeviceTopic.parse(connect.will().topic(), user.deviceId(), null) instanceof DeviceTopic.Telemetry)) {
            return refused("a will on " + connect.will().topic() + ": only the device's telemetry topic is honoured");
        }
        String hubHostName = hub.get().hostName();
        return devices.authenticate(hubHostName, user.deviceId(), connect.password(),
                connect.peerChain()).map(authenticated -> {
            int stored = parts.connected().storedSubscriptions(ConnectedDevices.key(hubHostName, user.deviceId()),
                    connect.cleanSession());
            MqttDeviceSession mqtt = new MqttDeviceSession(parts, hubHostName, authenticated.identity(),
                    authenticated.tokenExpiry(), skewSeconds, channel, connect, stored);
            parts.attach(mqtt.session());
            return mqtt;
        });
    }

    /**
     * The hub of a consumer's user name, {@code {hub}/$service} optionally followed by {@code /} and a query as in a
     * device's ({@code /?api-version=…}, which IoT Hub clients append); null for any other user name.
     */
    static String serviceHub(String userName) {
        String[] segments = userName.split("/", 3);
        boolean service = segments.length >= 2 && !segments[0].isEmpty() && segments[1].equals(SERVICE_USER);
        return service && (segments.length == 2 || segments[2].indexOf('/') < 0) ? segments[0] : null;
    }

    private Future<MqttSession> consumer(String hubHostName, MqttConnect connect, MqttChannel channel) {
        Optional<HostedHub> hub = hubs.find(hubHostName);
        if (hub.isEmpty()) {
            return refused("no hub is hosted as " + hubHostName);
        }
        if (connect.will() != null) {
            return refused("telemetry consumer of " + hubHostName + " with a will");
        }
        String refusal = serviceTokens.refusal(hub.get(), connect.password());
        if (refusal != null) {
            return refused("telemetry consumer of " + hubHostName + ": " + refusal);
        }
        long expiresAtMillis = HubServiceTokens.expiry(connect.password()).plusSeconds(skewSeconds).toEpochMilli();
        return Future.succeededFuture(parts.telemetry().connect(hub.get().hostName(), connect.clientId(),
                connect.cleanSession(), expiresAtMillis, channel));
    }

    private static Future<MqttSession> refused(String reason) {
        return Future.failedFuture(ConnectRefusedException.notAuthorized(reason));
    }
}
