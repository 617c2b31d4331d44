package io.onramp.broker.mqtt;

import io.vertx.core.Future;

/**
 * Decides on a CONNECT: answers the session that will serve the connection, or fails with a
 * {@link ConnectRefusedException} carrying the CONNACK code (any other failure answers 0x03).
 * Called on the connection's event loop; the session's methods are called there too.
 */
@FunctionalInterface
public interface MqttConnectHandler {
    Future<MqttSession> connect(MqttConnect connect, MqttChannel channel);
}
