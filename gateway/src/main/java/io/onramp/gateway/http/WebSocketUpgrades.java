package io.onramp.gateway.http;

import io.onramp.broker.mqtt.MqttWebSockets;
import io.onramp.gateway.amqp.AmqpWebSockets;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSocket upgrades on the HTTPS listener: MQTT over WebSockets on the paths the official SDKs dial,
 * for both realms (DPS and the hubs, told apart by the CONNECT user name as on 8883), and AMQP over
 * WebSockets (the DPS device API, as on 5671) on the AMQP SDKs' paths. The subprotocol the client offers
 * chooses. Any other upgrade is refused with a status that says why; plain HTTPS requests never come here.
 */
final class WebSocketUpgrades {

    /**
     * {@code /$iothub/websocket}: the device SDKs (and C, Node and Python for DPS); {@code /mqtt}: the Java
     * provisioning SDK, whose {@code wss://host:443} leaves Paho's default path; {@code /}: the C# SDK.
     */
    static final Set<String> MQTT_PATHS = Set.of("/$iothub/websocket", "/mqtt", "/");
    /** {@code /$iothub/websocket}: the Java, C and Node SDKs (Java adds a query); {@code /}: the C# SDK. */
    static final Set<String> AMQP_PATHS = Set.of("/$iothub/websocket", "/");
    /** The MQTT subprotocol; the C SDK spells it {@code MQTT}. */
    static final String MQTT = "mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrades.class);

    private final MqttWebSockets mqtt;
    private final AmqpWebSockets amqp;
    private final Consumer<SocketAddress> upgraded;

    /** {@code upgraded}: told the client address of each connection that became a WebSocket. */
    WebSocketUpgrades(MqttWebSockets mqtt, AmqpWebSockets amqp, Consumer<SocketAddress> upgraded) {
        this.mqtt = mqtt;
        this.amqp = amqp;
        this.upgraded = upgraded;
    }

    void handle(ServerWebSocketHandshake handshake) {
        String path = handshake.path();
        if (!MQTT_PATHS.contains(path) && !AMQP_PATHS.contains(path)) {
            refuse(handshake, 404, "no WebSocket endpoint at this path; MQTT and AMQP over WebSockets are at"
                    + " /$iothub/websocket");
            return;
        }
        // The first one offered that is served here, as Netty picks the one it echoes.
        for (String offered : offered(handshake)) {
            if (offered.equalsIgnoreCase(MQTT) && MQTT_PATHS.contains(path)) {
                accept(handshake, mqtt::accept);
                return;
            }
            if (offered.equals(AmqpWebSockets.SUBPROTOCOL) && AMQP_PATHS.contains(path)) {
                accept(handshake, amqp::accept);
                return;
            }
        }
        refuse(handshake, 400, "Sec-WebSocket-Protocol must offer mqtt (MQTT) or AMQPWSB10 (AMQP, not on /mqtt)");
    }

    private void accept(ServerWebSocketHandshake handshake, Consumer<ServerWebSocket> protocol) {
        SocketAddress client = handshake.remoteAddress();
        handshake.accept().onSuccess(webSocket -> {
            upgraded.accept(client);
            protocol.accept(webSocket);
        });
    }

    private static void refuse(ServerWebSocketHandshake handshake, int status, String why) {
        LOG.info("WebSocket upgrade from {} to {} refused ({}): {}", handshake.remoteAddress(), handshake.path(), status, why);
        handshake.reject(status);
    }

    /** The subprotocols the client offered, in its order, from all its Sec-WebSocket-Protocol lists. */
    private static List<String> offered(ServerWebSocketHandshake handshake) {
        List<String> offered = new ArrayList<>();
        for (String list : handshake.headers().getAll("Sec-WebSocket-Protocol")) {
            for (String subprotocol : list.split(",")) {
                offered.add(subprotocol.trim());
            }
        }
        return offered;
    }
}
