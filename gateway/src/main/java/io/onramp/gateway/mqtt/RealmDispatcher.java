package io.onramp.gateway.mqtt;

import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttConnect;
import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * One MQTT listener, two realms, told apart by the CONNECT user name (DESIGN.md 3):
 * {@code {idScope}/registrations/…} is a provisioning client, anything else is for the hubs, whose
 * realm refuses what is not one of its hubs.
 */
public final class RealmDispatcher implements MqttConnectHandler {

    private final String idScope;
    private final DpsMqttRealm provisioning;
    private final MqttConnectHandler hubs;

    public RealmDispatcher(Vertx vertx, String idScope, ProvisioningService provisioning, MqttConnectHandler hubs) {
        this.idScope = idScope;
        this.provisioning = new DpsMqttRealm(vertx, provisioning);
        this.hubs = hubs;
    }

    @Override
    public Future<MqttSession> connect(MqttConnect connect, MqttChannel channel) {
        if (DpsUserName.isFor(connect.userName(), idScope)) {
            return provisioning.connect(connect, channel);
        }
        return hubs.connect(connect, channel);
    }
}
