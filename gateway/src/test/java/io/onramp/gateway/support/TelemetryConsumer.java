package io.onramp.gateway.support;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A backend application reading a hub's telemetry over MQTT with the hub's service credential,
 * using a plain MQTT client (Eclipse Paho, as any factory application could).
 */
public final class TelemetryConsumer implements AutoCloseable {

    public record Received(String topic, String body, int qos) {}

    private final MqttClient client;
    private final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

    private TelemetryConsumer(MqttClient client) {
        this.client = client;
    }

    public static TelemetryConsumer subscribe(TestGateway gateway, String hub, String ownerKey, String filter) throws Exception {
        MqttClient client = new MqttClient("ssl://" + hub + ":" + TestGateway.MQTTS_PORT, "consumer-" + System.nanoTime(),
                new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(hub + "/$service");
        options.setPassword(serviceToken(hub, ownerKey).toCharArray());
        options.setSocketFactory(TestTls.trusting(gateway.caFile()).getSocketFactory());
        options.setCleanSession(true);
        options.setAutomaticReconnect(false);
        client.connect(options);
        TelemetryConsumer consumer = new TelemetryConsumer(client);
        client.subscribe(filter, 1, (topic, message) -> consumer.messages.add(
                new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos())));
        return consumer;
    }

    public static String serviceToken(String hub, String ownerKey) {
        return SasTokenSigner.sign(hub, Instant.now().plusSeconds(3600).getEpochSecond(), SymmetricKeys.decode(ownerKey),
                "iothubowner");
    }

    public BlockingQueue<Received> messages() {
        return messages;
    }

    @Override
    public void close() throws org.eclipse.paho.client.mqttv3.MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }
}
