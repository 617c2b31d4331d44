package io.onramp.gateway.http;

import io.onramp.broker.mqtt.MqttWebSockets;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.SocketAddress;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket upgrades on the HTTPS listener: MQTT over WebSockets on the paths the official SDKs dial,
 * for both realms (DPS and the hubs, told apart by the CONNECT user name as on 8883). Any other upgrade
 * is refused with a status that says why; plain HTTPS requests never come here.
 */
final class WebSocketUpgrades {

    /**
     * {@code /$iothub/websocket}: the device SDKs (and C, Node and Python for DPS); {@code /mqtt}: the Java
     * provisioning SDK, whose {@code wss://host:443} leaves Paho's default path; {@code /}: the C# SDK.
     */
    static final Set<String> MQTT_PATHS = Set.of("/$iothub/websocket", "/mqtt", "/");
    /** The MQTT subprotocol; the C SDK spells it {@code MQTT}. */
    static final String MQTT = "mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrades.class);

    private final MqttWebSockets mqtt;
    private final Consumer<SocketAddress> upgraded;

    /** {@code upgraded}: told the client address of each connection that became a WebSocket. */
    WebSocketUpgrades(MqttWebSockets mqtt, Consumer<SocketAddress> upgraded) {
        this.mqtt = mqtt;
        this.upgraded = upgraded;
    }

    void handle(ServerWebSocketHandshake handshake) {
        if (!MQTT_PATHS.contains(handshake.path())) {
            refuse(handshake, 404, "no WebSocket endpoint at this path; MQTT over WebSockets is at /$iothub/websocket");
        } else if (!offers(handshake, MQTT)) {
            refuse(handshake, 400, "Sec-WebSocket-Protocol must offer mqtt");
        } else {
            SocketAddress client = handshake.remoteAddress();
            handshake.accept().onSuccess(webSocket -> {
                upgraded.accept(client);
                mqtt.accept(webSocket);
            });
        }
    }

    private static void refuse(ServerWebSocketHandshake handshake, int status, String why) {
        LOG.info("WebSocket upgrade from {} to {} refused ({}): {}", handshake.remoteAddress(), handshake.path(), status, why);
        handshake.reject(status);
    }

    /** Whether the client offered {@code subprotocol}, in any case, in any of its Sec-WebSocket-Protocol lists. */
    private static boolean offers(ServerWebSocketHandshake handshake, String subprotocol) {
        for (String list : handshake.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String offered : list.split(",")) {
                if (offered.trim().equalsIgnoreCase(subprotocol)) {
                    return true;
                }
            }
        }
        return false;
    }
}
