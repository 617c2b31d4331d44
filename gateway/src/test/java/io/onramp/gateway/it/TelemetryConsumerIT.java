package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.certs.text.PercentCodec;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a hub's telemetry consumer ({@code {hub}/$service}) receives of a device's telemetry (hub-device-protocol
 * 3.2, 3.4): on the device's canonical topic, with the properties the hub owns stamped by the hub.
 */
class TelemetryConsumerIT {

    static final String GROUP_KEY = "VGVsZW1ldHJ5Q29uc3VtZXJHcm91cEtleUZvclRlc3Q=";
    static final String HUB = "127.0.0.206";
    static final String OWNER = "VGVsZW1ldHJ5Q29uc3VtZXJPd25lcktleUZvclRlc3Q=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.205", List.of(HUB), dataDir, """
            hubs:
              - { name: line-t, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: meters
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY));
        for (String id : List.of("meter-1", "meter-2", "meter-3", "meter-4")) {
            SdkDevice.registerOverHttps(gateway, id, key(id), null);
        }
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    static String key(String registrationId) {
        return SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId);
    }

    static RawMqtt device(String deviceId) throws Exception {
        RawMqtt device = RawMqtt.open(gateway, HUB);
        assertThat(device.connectDevice(HUB, deviceId, key(deviceId))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return device;
    }

    static void send(RawMqtt device, String topic, String body, int packetId) throws Exception {
        device.publish(topic, MqttQoS.AT_LEAST_ONCE, body.getBytes(StandardCharsets.UTF_8), packetId);
        assertThat(RawMqtt.isPubAck(device.read(), packetId)).as("PUBACK of " + topic).isTrue();
    }

    @Test
    void propertiesTheHubOwnsAreStampedByTheHubWhateverTheDeviceSays() throws Exception {
        RawHub service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        String generationId = new JsonObject(service.send("GET", "/devices/meter-2?" + RawHub.API,
                RawHub.token(HUB, OWNER, RawHub.OWNER), null).body()).getString("generationId");
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/+/messages/events/#");
                RawMqtt device = device("meter-2")) {
            // WHEN a device claims in its bag to be another device, authenticated otherwise, enqueued long ago
            Instant before = Instant.now().minusSeconds(1);
            send(device, "devices/meter-2/messages/events/%24.cdid=evil&%24.cmid=evil&iothub-connection-device-id=evil"
                    + "&iothub-connection-auth-method=x&iothub-connection-auth-generation-id=1&iothub-enqueuedtime=0&k=v",
                    "spoof", 2);
            // THEN the consumer reads none of that: the hub's values instead, and the device's own property
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.topic()).startsWith("devices/meter-2/messages/events/").doesNotContain("evil")
                    .doesNotContain("cdid").doesNotContain("cmid");
            Map<String, String> bag = bag(received.topic());
            assertThat(bag).containsEntry("k", "v").containsEntry("iothub-connection-device-id", "meter-2")
                    .containsEntry("iothub-connection-auth-generation-id", generationId);
            assertThat(new JsonObject(bag.get("iothub-connection-auth-method"))).isEqualTo(new JsonObject()
                    .put("scope", "device").put("type", "sas").put("issuer", "iothub").putNull("acceptingIpFilterRule"));
            assertThat(Instant.parse(bag.get("iothub-enqueuedtime"))).isBetween(before, Instant.now().plusSeconds(1));
        }
    }

    /** The property bag of a telemetry topic, decoded; a repeated key fails the test. */
    static Map<String, String> bag(String topic) {
        String bag = topic.substring(topic.indexOf("/messages/events/") + "/messages/events/".length());
        Map<String, String> properties = new LinkedHashMap<>();
        for (String pair : bag.split("&")) {
            int eq = pair.indexOf('=');
            String previous = properties.put(PercentCodec.decode(pair.substring(0, eq)), PercentCodec.decode(pair.substring(eq + 1)));
            assertThat(previous).as("repeated " + pair).isNull();
        }
        return properties;
    }

    @Test
    void aConsumerIsClosedWhenItsTokenExpiresWithALogLineNamingIt() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger("io.onramp.broker.hub.ConsumerSession");
        logger.addAppender(log);
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            // GIVEN a consumer whose token expired 298 s ago: accepted within the 5-minute clock skew, out of it 2 s from now
            String token = SasTokenSigner.sign(HUB, Instant.now().getEpochSecond() - 298, SymmetricKeys.decode(OWNER),
                    "iothubowner");
            assertThat(consumer.connect("reader-exp", HUB + "/$service", token, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(consumer.subscribe("devices/+/messages/events/#", 1)).isEqualTo(1);
            // WHEN it stays active (pings), THEN the expiry sweep (every 5 s) closes it all the same
            boolean closed = false;
            for (int i = 0; i < 24 && !closed; i++) {
                try {
                    consumer.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE,
                            false, 0)));
                    closed = consumer.closedWithin(500);
                } catch (java.net.SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed within 12 s of a token that expired after 2 s").isTrue();
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .contains("closing telemetry consumer reader-exp of " + HUB + ": its SAS token expired");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void aPersistentConsumerSessionKeepsWhatArrivesWhileItsClientIsAwayAndACleanOneDropsIt() throws Exception {
        String filter = "devices/meter-3/messages/events/#";
        // GIVEN a consumer that subscribed with CleanSession = 0 and went away
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumerConnect(consumer, "reader-p", false).isSessionPresent()).isFalse();
            assertThat(consumer.subscribe(filter, 1)).isEqualTo(1);
            consumer.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        }
        // WHEN the device sends three QoS 1 messages, each acknowledged
        try (RawMqtt device = device("meter-3")) {
            for (int i = 1; i <= 3; i++) {
                send(device, "devices/meter-3/messages/events/n=" + i, "m" + i, i);
            }
        }
        // THEN the consumer, back with the same client ID, finds its session and receives all three in order
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumerConnect(consumer, "reader-p", false).isSessionPresent()).as("session present").isTrue();
            for (int i = 1; i <= 3; i++) {
                MqttMessage next = consumer.read();
                assertThat(next).isInstanceOf(MqttPublishMessage.class);
                MqttPublishMessage publish = (MqttPublishMessage) next;
                assertThat(publish.payload().toString(StandardCharsets.UTF_8)).isEqualTo("m" + i);
                assertThat(publish.variableHeader().topicName()).startsWith("devices/meter-3/messages/events/n=" + i + "&");
                consumer.send(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build());
                publish.release();
            }
        }
        // AND a clean session drops the stored one: nothing is kept for the client after it
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumerConnect(consumer, "reader-p", true).isSessionPresent()).isFalse();
        }
        try (RawMqtt device = device("meter-3")) {
            send(device, "devices/meter-3/messages/events/n=4", "m4", 4);
        }
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB)) {
            assertThat(consumerConnect(consumer, "reader-p", false).isSessionPresent()).isFalse();
            consumer.setReadTimeout(2000);
            assertThatThrownBy(consumer::read).as("nothing comes").isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void telemetryNoConsumerTakesIsCountedAndReported() throws Exception {
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger logger = (Logger) LoggerFactory.getLogger("io.onramp.broker.hub.TelemetryDrops");
        logger.addAppender(log);
        try (RawMqtt device = device("meter-4")) {
            for (int i = 1; i <= 3; i++) {
                send(device, "devices/meter-4/messages/events/", "lost", i);
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline && log.list.isEmpty()) {
                Thread.sleep(200);
            }
            assertThat(log.list).as("a report within the 10 s period and the 5 s sweep").isNotEmpty();
            ILoggingEvent report = log.list.get(0);
            assertThat(report.getLevel()).isEqualTo(Level.WARN);
            assertThat(report.getFormattedMessage()).startsWith(HUB + ": ").contains("had no consumer subscribed")
                    .contains("CleanSession=0");
        } finally {
            logger.detachAppender(log);
        }
    }

    static MqttConnAckVariableHeader consumerConnect(RawMqtt consumer, String clientId, boolean cleanSession) throws Exception {
        MqttConnAckMessage connAck = consumer.connect(MqttMessageBuilders.connect().clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(cleanSession).keepAlive(60).hasUser(true)
                .username(HUB + "/$service").hasPassword(true)
                .password(TelemetryConsumer.serviceToken(HUB, OWNER).getBytes(StandardCharsets.UTF_8)).build());
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return connAck.variableHeader();
    }

    @Test
    void aPercentEncodedDeviceIdReachesConsumersAsTheDeviceId() throws Exception {
        // GIVEN a consumer of one device's telemetry
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/meter-1/messages/events/#");
                RawMqtt device = device("meter-1")) {
            // WHEN the device spells its ID percent-encoded in the topic, as Python does
            send(device, "devices/meter%2D1/messages/events/k=encoded", "1", 1);
            // THEN the consumer gets it on the topic with the device's real ID
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).as("telemetry at the per-device consumer").isNotNull();
            assertThat(received.topic()).startsWith("devices/meter-1/messages/events/").contains("k=encoded");
        }
    }
}
