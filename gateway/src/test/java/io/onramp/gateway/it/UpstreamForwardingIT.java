package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.Message;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.app.ConfigReload;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.gateway.support.HubDevice;
import io.onramp.gateway.support.Mosquitto;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.upstream.MqttUpstream;
import io.vertx.core.Vertx;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hub's telemetry forwarded to a real Mosquitto over TLS with a user and password: what the official device SDK
 * sends reaches a subscriber of the upstream broker, in order, with its properties; while the upstream is down the
 * devices are still acknowledged and nothing is lost, also across a restart of the gateway; a full outbox refuses
 * (the device keeps its message); a refused login is told in the log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpstreamForwardingIT {

    static final String GATEWAY = "127.0.0.166";
    static final String HUB = "127.0.0.167";
    static final String SMALL_HUB = "127.0.0.169";
    static final String BAD_LOGIN_HUB = "127.0.0.170";
    static final String CERT_HUB = "127.0.0.171";
    static final String BROKER = "127.0.0.168";
    static final String USER = "onramp";
    static final String PASSWORD = "upstream-secret-1";
    static final String GROUP_KEY = "VXBzdHJlYW1Gb3J3YXJkaW5nR3JvdXBLZXlGb3JJVCE=";
    static final String OWNER = "VXBzdHJlYW1Gb3J3YXJkaW5nT3duZXJLZXlGb3JJVCE=";

    @TempDir
    static Path dataDir;
    @TempDir
    static Path brokerDir;
    @TempDir
    static Path clientPki;
    static Mosquitto mosquitto;
    static TestGateway gateway;
    static Vertx vertx;
    static MqttClient reader;
    static final BlockingQueue<Received> received = new LinkedBlockingQueue<>();

    record Received(String topic, String body) {}

    @BeforeAll
    static void start() throws Exception {
        PkiCatalogue.create().writeTo(clientPki); // the CA of the certificate line-c logs in upstream with
        mosquitto = Mosquitto.start(brokerDir, BROKER, USER, PASSWORD, clientPki.resolve("root.cert.pem"));
        vertx = Vertx.vertx();
        connectReader();
        String upstream = "{ url: 'mqtts://%s:%d', userName: %s, password: %s, caCertificate: '%s', topicPrefix: %s%s }";
        gateway = TestGateway.startWithMqtt(GATEWAY, List.of(HUB, SMALL_HUB, BAD_LOGIN_HUB, CERT_HUB), dataDir, """
            hubs:
              - { name: line-u, hostName: %s, ownerKey: %s, upstream: %s }
              - { name: line-s, hostName: %s, ownerKey: %s, upstream: %s }
              - { name: line-x, hostName: %s, ownerKey: %s, upstream: %s }
              - name: line-c
                hostName: %s
                ownerKey: %s
                upstream: { url: 'mqtts://%s:%d', caCertificate: '%s', certificate: '%s', privateKey: '%s',
                            topicPrefix: 'plant-1/line-c/', maxMessageBytes: 2000 }
            enrollmentGroups:
              - enrollmentGroupId: presses
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [line-u]
              - enrollmentGroupId: small
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [line-s]
              - enrollmentGroupId: badlogin
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [line-x]
              - enrollmentGroupId: certlogin
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [line-c]
            """.formatted(
                HUB, OWNER, upstream.formatted(BROKER, Mosquitto.TLS_PORT, USER, PASSWORD, mosquitto.caFile(), "'plant-1/line-u/'", ""),
                SMALL_HUB, OWNER, upstream.formatted(BROKER, Mosquitto.TLS_PORT, USER, PASSWORD, mosquitto.caFile(), "'plant-1/line-s/'",
                        ", outboxMegabytes: 1"),
                BAD_LOGIN_HUB, OWNER, upstream.formatted(BROKER, Mosquitto.TLS_PORT, USER, "wrong-password", mosquitto.caFile(),
                        "'plant-1/line-x/'", ""),
                CERT_HUB, OWNER, BROKER, Mosquitto.CLIENT_CERT_PORT, mosquitto.caFile(), clientPki.resolve("leaf.chain.pem"),
                clientPki.resolve("leaf.key.pem"),
                GROUP_KEY, groupKey("small"), groupKey("badlogin"), groupKey("certlogin")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (vertx != null) {
            vertx.close().await();
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    static String groupKey(String name) {
        return SymmetricKeys.deriveDeviceKey(GROUP_KEY, "group-" + name);
    }

    /** The upstream's subscriber: a persistent session, so Mosquitto queues for it while it is away. */
    static void connectReader() {
        reader = MqttClient.create(vertx, new MqttClientOptions().setClientId("plant-reader").setCleanSession(false)
                .setUsername(USER).setPassword(PASSWORD).setAutoKeepAlive(true).setMaxMessageSize(1 << 20));
        reader.publishHandler(m -> received.add(new Received(m.topicName(), m.payload().toString(StandardCharsets.UTF_8))));
        reader.connect(Mosquitto.PLAIN_PORT, BROKER).await();
        reader.subscribe("plant-1/#", 1).await();
    }

    static void restartBroker(ThrowingRunnable whileDown) throws Exception {
        reader.disconnect().await();
        mosquitto.stop();
        whileDown.run();
        mosquitto.start();
        connectReader();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static List<Received> receive(int count) throws InterruptedException {
        List<Received> messages = new ArrayList<>();
        while (messages.size() < count) {
            Received next = received.poll(30, TimeUnit.SECONDS);
            assertThat(next).as("message " + (messages.size() + 1) + " of " + count + " upstream").isNotNull();
            messages.add(next);
        }
        return messages;
    }

    static HubDevice device(String registrationId, String groupKey) throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(groupKey, registrationId);
        var result = SdkDevice.registerOverHttps(gateway, registrationId, key, null);
        return HubDevice.connect(gateway, result.getIothubUri(), result.getDeviceId(), key);
    }

    static void send(HubDevice device, String body, int sequence) throws Exception {
        Message message = new Message(body);
        message.setProperty("seq", Integer.toString(sequence));
        device.client().sendEvent(message);
    }

    static long metric(String name, String hub) throws Exception {
        HttpResponse<String> scraped = new RawDps(gateway).send("GET", "/metrics", null, null);
        Matcher m = Pattern.compile("^" + name + "\\{hub=\"" + hub + "\"[^}]*\\} (\\d+)", Pattern.MULTILINE)
                .matcher(scraped.body());
        assertThat(m.find()).as(name + " of " + hub + " in\n" + scraped.body()).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    @Order(1)
    void whatTheSdkSendsReachesTheUpstreamInOrderWithItsProperties() throws Exception {
        try (HubDevice device = device("press-1", GROUP_KEY)) {
            for (int i = 1; i <= 5; i++) {
                send(device, "{\"temp\":" + (20 + i) + "}", i);
            }
            List<Received> upstream = receive(5);
            for (int i = 1; i <= 5; i++) {
                Received message = upstream.get(i - 1);
                assertThat(message.topic()).startsWith("plant-1/line-u/devices/press-1/messages/events/")
                        .contains("seq=" + i).contains("iothub-connection-device-id=press-1");
                assertThat(message.body()).isEqualTo("{\"temp\":" + (20 + i) + "}");
            }
        }
        assertThat(metric("onramp_upstream_connected", "line-u")).isEqualTo(1);
        assertThat(metric("onramp_upstream_forwarded_total", "line-u")).isGreaterThanOrEqualTo(5);
        assertThat(metric("onramp_upstream_outbox_messages", "line-u")).isZero();
    }

    @Test
    @Order(6)
    void aBrokerThatAuthenticatesClientsByCertificateGetsTheHubsTelemetry() throws Exception {
        received.clear();
        try (HubDevice device = device("meter-c1", groupKey("certlogin"))) {
            send(device, "x".repeat(3000), 1); // over line-c's upstream maxMessageBytes: dropped, not resent for ever
            send(device, "by certificate", 2);
        }
        Received message = receive(1).get(0);
        assertThat(message.topic()).startsWith("plant-1/line-c/devices/meter-c1/messages/events/");
        assertThat(message.body()).isEqualTo("by certificate");
        assertThat(metric("onramp_upstream_connected", "line-c")).isEqualTo(1);
        assertThat(metric("onramp_upstream_dropped_total", "line-c")).isEqualTo(1);
        assertThat(received.poll(1, TimeUnit.SECONDS)).isNull();
    }

    @Test
    @Order(2)
    void whileTheUpstreamIsDownDevicesAreAcknowledgedAndNothingIsLostAcrossAGatewayRestart() throws Exception {
        received.clear();
        restartBroker(() -> {
            try (HubDevice device = device("press-2", GROUP_KEY)) {
                for (int i = 1; i <= 30; i++) {
                    send(device, "down-" + i, i); // acknowledged by the hub: in its outbox on disk
                }
            }
            assertThat(metric("onramp_upstream_outbox_messages", "line-u")).isEqualTo(30);
            assertThat(metric("onramp_upstream_connected", "line-u")).isZero();
            gateway.restart(); // the outbox is read back at the start
            assertThat(metric("onramp_upstream_outbox_messages", "line-u")).isEqualTo(30);
        });
        List<Received> upstream = receive(30);
        for (int i = 1; i <= 30; i++) {
            assertThat(upstream.get(i - 1).body()).as("message " + i).isEqualTo("down-" + i);
            assertThat(upstream.get(i - 1).topic()).startsWith("plant-1/line-u/devices/press-2/messages/events/");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (metric("onramp_upstream_outbox_messages", "line-u") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(metric("onramp_upstream_outbox_messages", "line-u")).isZero();
    }

    @Test
    @Order(3)
    void aFullOutboxRefusesTheMessageAndClosesTheDeviceWhichSendsItOnceThereIsRoom() throws Exception {
        received.clear();
        String key = SymmetricKeys.deriveDeviceKey(groupKey("small"), "gauge-1");
        SdkDevice.registerOverHttps(gateway, "gauge-1", key, null);
        byte[] big = new byte[200 * 1024];
        restartBroker(() -> {
            try (RawMqtt device = RawMqtt.open(gateway, SMALL_HUB)) {
                assertThat(device.connectDevice(SMALL_HUB, "gauge-1", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
                // 1 MiB of outbox takes five messages of 200 KiB, not a sixth
                for (int i = 1; i <= 5; i++) {
                    big[0] = (byte) ('0' + i);
                    device.publish("devices/gauge-1/messages/events/", MqttQoS.AT_LEAST_ONCE, big, i);
                    assertThat(RawMqtt.isPubAck(device.read(), i)).as("PUBACK " + i).isTrue();
                }
                device.publish("devices/gauge-1/messages/events/", MqttQoS.AT_LEAST_ONCE, big, 6);
                assertThat(device.closedWithin(5_000)).as("closed instead of acknowledged").isTrue();
            }
            assertThat(metric("onramp_upstream_refused_total", "line-s")).isEqualTo(1);
            assertThat(metric("onramp_upstream_outbox_messages", "line-s")).isEqualTo(5);
        });
        List<Received> upstream = receive(5);
        for (int i = 1; i <= 5; i++) {
            assertThat(upstream.get(i - 1).body().charAt(0)).isEqualTo((char) ('0' + i));
            assertThat(upstream.get(i - 1).body()).hasSize(big.length);
        }
        // there is room again: the device's message is taken
        try (RawMqtt device = RawMqtt.open(gateway, SMALL_HUB)) {
            assertThat(device.connectDevice(SMALL_HUB, "gauge-1", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (metric("onramp_upstream_outbox_messages", "line-s") > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            device.publish("devices/gauge-1/messages/events/", MqttQoS.AT_LEAST_ONCE, "again".getBytes(StandardCharsets.UTF_8), 6);
            assertThat(RawMqtt.isPubAck(device.read(), 6)).isTrue();
        }
        assertThat(receive(1).get(0).body()).isEqualTo("again");
    }

    @Test
    @Order(4)
    void aLoginTheUpstreamRefusesIsToldInTheLogAndTheTelemetryWaits() throws Exception {
        try (CapturedLog log = CapturedLog.of(MqttUpstream.class)) {
            try (HubDevice device = device("valve-1", groupKey("badlogin"))) {
                send(device, "kept", 1);
            }
            assertThat(metric("onramp_upstream_outbox_messages", "line-x")).isEqualTo(1);
            assertThat(metric("onramp_upstream_connected", "line-x")).isZero();
            gateway.restart(); // the start's first attempt, logged while the log is captured
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (log.lines().stream().noneMatch(l -> l.getFormattedMessage().contains("line-x"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(log.lines()).anySatisfy(line -> assertThat(line.getFormattedMessage())
                    .contains("hub line-x: upstream mqtts://" + BROKER + ":8883 unreachable")
                    .contains("the broker refused the login").doesNotContain("wrong-password"));
        }
        assertThat(metric("onramp_upstream_outbox_messages", "line-x")).isEqualTo(1);
    }

    @Test
    @Order(5)
    void anUpstreamChangedInTheConfigAppliesWithoutARestart() throws Exception {
        received.clear();
        // GIVEN line-x's message waits behind a wrong password (above); WHEN the file gives the right one and another
        // topic prefix, and takes line-s's upstream away
        String yaml = gateway.yaml().replace("wrong-password", PASSWORD).replace("'plant-1/line-x/'", "'plant-1/hall-x/'")
                .replaceAll(", upstream: \\{[^}]*'plant-1/line-s/'[^}]*\\}", "");
        assertThat(yaml).doesNotContain("line-s/");
        ConfigReload reloaded = gateway.gateway().reload("onramp.yaml", new ConfigLoader(Map.of(), dataDir)
                .parse("onramp.yaml", yaml)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(reloaded.needRestart()).isEmpty();
        assertThat(reloaded.changed()).contains("hub line-x: upstream mqtts://" + BROKER + ":8883 (its settings)",
                "hub line-s: upstream mqtts://" + BROKER + ":8883 removed");
        // THEN the waiting message goes out with the new login, under the new prefix, and line-s forwards no more
        Received kept = receive(1).get(0);
        assertThat(kept.topic()).startsWith("plant-1/hall-x/devices/valve-1/messages/events/");
        assertThat(kept.body()).isEqualTo("kept");
        assertThat(metric("onramp_upstream_connected", "line-x")).isEqualTo(1);
        assertThat(new RawDps(gateway).send("GET", "/metrics", null, null).body())
                .doesNotContain("onramp_upstream_connected{hub=\"line-s\"");
        try (RawMqtt device = RawMqtt.open(gateway, SMALL_HUB)) {
            String key = SymmetricKeys.deriveDeviceKey(groupKey("small"), "gauge-1");
            assertThat(device.connectDevice(SMALL_HUB, "gauge-1", key)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            device.publish("devices/gauge-1/messages/events/", MqttQoS.AT_LEAST_ONCE, "local".getBytes(StandardCharsets.UTF_8), 1);
            assertThat(RawMqtt.isPubAck(device.read(), 1)).isTrue();
        }
        assertThat(received.poll(2, TimeUnit.SECONDS)).as("nothing forwarded from line-s").isNull();
    }
}
