package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT session semantics of the hub (hub-device-protocol 3.2, 3.3): persistent sessions keep their
 * subscriptions, wills on the device's telemetry topic go out as telemetry marked as wills when a
 * connection is lost, and a retained PUBLISH reaches consumers marked, not retained. Also the twin
 * requests byte for byte (3.4), which the SDK tests cannot pin down: iot-device-client 2.5.0 can
 * lose a response it received (see MqttDeviceFlowIT).
 */
class HubSessionIT {

    static final String GROUP_KEY = "SHViU2Vzc2lvbkdyb3VwS2V5Rm9yVGVzdHNPbmx5MDA=";
    static final String HUB = "127.0.0.114";
    static final String OWNER = "SHViU2Vzc2lvbk93bmVyS2V5Rm9yVGVzdHNPbmx5MDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.113", List.of(HUB), dataDir, """
            hubs:
              - { name: line-s, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: pumps
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY));
        for (String id : List.of("pump-1", "pump-2", "pump-3", "pump-4", "pump-5", "pump-6", "pump-7", "pump-8")) {
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

    static MqttMessageBuilders.ConnectBuilder connect(String deviceId, boolean cleanSession) {
        return MqttMessageBuilders.connect().clientId(deviceId).protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(cleanSession).keepAlive(60).hasUser(true).username(RawMqtt.deviceUser(HUB, deviceId))
                .hasPassword(true).password(RawMqtt.deviceToken(HUB, deviceId, key(deviceId), 3600)
                        .getBytes(StandardCharsets.UTF_8));
    }

    static MqttConnAckMessage connect(RawMqtt client, String deviceId, boolean cleanSession) throws Exception {
        MqttConnAckMessage connAck = client.connect(connect(deviceId, cleanSession).build());
        assertThat(connAck.variableHeader().connectReturnCode()).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return connAck;
    }

    @Test
    void aPersistentSessionKeepsItsSubscriptionsUntilACleanSessionDropsThem() throws Exception {
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(connect(device, "pump-1", false).variableHeader().isSessionPresent()).isFalse();
            assertThat(device.subscribe("devices/pump-1/messages/devicebound/#", 1)).isEqualTo(1);
            device.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(
                    MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
        }
        RawHub service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        String token = RawHub.token(HUB, OWNER, RawHub.OWNER);
        assertThat(service.send("POST", "/devices/pump-1/messages/deviceBound", token, "while away").statusCode())
                .isEqualTo(204);
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(connect(device, "pump-1", false).variableHeader().isSessionPresent()).as("session resumed").isTrue();
            MqttMessage next = device.read();
            assertThat(next).as("delivered without subscribing again").isInstanceOf(MqttPublishMessage.class);
            MqttPublishMessage c2d = (MqttPublishMessage) next;
            assertThat(c2d.payload().toString(StandardCharsets.UTF_8)).isEqualTo("while away");
            device.send(MqttMessageBuilders.pubAck().packetId(c2d.variableHeader().packetId()).build());
            c2d.release();
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(connect(device, "pump-1", true).variableHeader().isSessionPresent()).isFalse();
        }
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(connect(device, "pump-1", false).variableHeader().isSessionPresent())
                    .as("the clean session dropped what was stored").isFalse();
        }
    }

    @Test
    void aLostConnectionsWillGoesOutAsTelemetryMarkedAsAWill() throws Exception {
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/pump-2/messages/events/#")) {
            RawMqtt device = RawMqtt.open(gateway, HUB);
            connect(device, "pump-2", true);
            device.close();
            assertThat(consumer.messages().poll(2, TimeUnit.SECONDS)).as("no will was asked for").isNull();

            device = RawMqtt.open(gateway, HUB);
            device.connect(connect("pump-2", true).willFlag(true).willTopic("devices/pump-2/messages/events/")
                    .willMessage("offline".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_LEAST_ONCE)
                    .willProperties(MqttProperties.NO_PROPERTIES).build());
            device.close();
            TelemetryConsumer.Received will = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(will).as("the will as telemetry").isNotNull();
            assertThat(will.body()).isEqualTo("offline");
            assertThat(will.topic()).startsWith("devices/pump-2/messages/events/iothub-MessageType=Will&iothub-connection-device-id=pump-2&");
        }
    }

    @Test
    void aDeviceThatSaysDisconnectLeavesNoWill() throws Exception {
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/pump-3/messages/events/#");
                RawMqtt device = RawMqtt.open(gateway, HUB)) {
            device.connect(connect("pump-3", true).willFlag(true).willTopic("devices/pump-3/messages/events/a=1")
                    .willMessage("offline".getBytes(StandardCharsets.UTF_8)).willQoS(MqttQoS.AT_MOST_ONCE)
                    .willProperties(MqttProperties.NO_PROPERTIES).build());
            device.send(new MqttMessage(new io.netty.handler.codec.mqtt.MqttFixedHeader(
                    MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
            assertThat(device.closedWithin(5000)).isTrue();
            assertThat(consumer.messages().poll(2, TimeUnit.SECONDS)).isNull();
        }
    }

    @Test
    void aWillOnAnyOtherTopicIsRefused() throws Exception {
        for (String topic : List.of("devices/pump-1/messages/events/", "$iothub/twin/GET/?$rid=1", "anything")) {
            try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
                MqttConnAckMessage connAck = device.connect(connect("pump-4", true).willFlag(true).willTopic(topic)
                        .willMessage(new byte[1]).willQoS(MqttQoS.AT_MOST_ONCE)
                        .willProperties(MqttProperties.NO_PROPERTIES).build());
                assertThat(connAck.variableHeader().connectReturnCode()).as(topic)
                        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            }
        }
    }

    @Test
    void aRetainedPublishReachesConsumersMarkedAndIsNotRetained() throws Exception {
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/pump-4/messages/events/#");
                RawMqtt device = RawMqtt.open(gateway, HUB)) {
            connect(device, "pump-4", true);
            device.send(MqttMessageBuilders.publish().topicName("devices/pump-4/messages/events/unit=bar/")
                    .qos(MqttQoS.AT_LEAST_ONCE).retained(true).messageId(5)
                    .payload(io.netty.buffer.Unpooled.copiedBuffer("7", StandardCharsets.UTF_8)).build());
            assertThat(RawMqtt.isPubAck(device.read(), 5)).isTrue();
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).isNotNull();
            assertThat(received.topic()).startsWith("devices/pump-4/messages/events/unit=bar&mqtt-retain=true&iothub-connection-device-id=pump-4&");
        }
        try (TelemetryConsumer late = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/pump-4/messages/events/#")) {
            assertThat(late.messages().poll(2, TimeUnit.SECONDS)).as("nothing retained for a later subscriber").isNull();
        }
    }

    @Test
    void twinRequestsAreAnsweredOnTheResponseTopicWithTheirRequestId() throws Exception {
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            connect(device, "pump-5", true);
            assertThat(device.subscribe("$iothub/twin/res/#", 1)).isEqualTo(1);

            device.publish("$iothub/twin/GET/?$rid=get-1", MqttQoS.AT_LEAST_ONCE, new byte[0], 7);
            MqttPublishMessage got = nextPublish(device);
            assertThat(got.variableHeader().topicName()).isEqualTo("$iothub/twin/res/200/?$rid=get-1");
            JsonObject twin = new JsonObject(got.payload().toString(StandardCharsets.UTF_8));
            assertThat(twin.getJsonObject("reported").getLong("$version")).isEqualTo(1);
            got.release();

            device.publish("$iothub/twin/PATCH/properties/reported/?$rid=patch-2", MqttQoS.AT_MOST_ONCE,
                    "{\"firmware\":\"2.0\"}".getBytes(StandardCharsets.UTF_8), 0);
            MqttPublishMessage patched = nextPublish(device);
            assertThat(patched.variableHeader().topicName()).isEqualTo("$iothub/twin/res/204/?$rid=patch-2&$version=2");
            assertThat(patched.payload().readableBytes()).isZero();
            patched.release();

            device.publish("$iothub/twin/PATCH/properties/reported/?$rid=bad-3", MqttQoS.AT_MOST_ONCE,
                    "[1,2]".getBytes(StandardCharsets.UTF_8), 0);
            MqttPublishMessage refused = nextPublish(device);
            assertThat(refused.variableHeader().topicName()).isEqualTo("$iothub/twin/res/400/?$rid=bad-3");
            assertThat(new JsonObject(refused.payload().toString(StandardCharsets.UTF_8)).getInteger("errorCode")).isEqualTo(400004);
            refused.release();

            device.publish("$iothub/twin/GET/?$rid=get-4", MqttQoS.AT_MOST_ONCE, new byte[0], 0);
            MqttPublishMessage after = nextPublish(device);
            JsonObject reported = new JsonObject(after.payload().toString(StandardCharsets.UTF_8))
                    .getJsonObject("reported");
            assertThat(reported.getString("firmware")).isEqualTo("2.0");
            assertThat(reported.getLong("$version")).as("the refused patch changed nothing").isEqualTo(2);
            after.release();
        }
    }

    @Test
    void aFloodOfTwinRequestsIsAnswered429BeyondItsBoundAndTheSessionGoesOn() throws Exception {
        int requests = 300;
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            connect(device, "pump-6", true);
            device.subscribe("$iothub/twin/res/#", 1);

            // WHEN the device sends far more twin GETs at once than the hub keeps waiting for it
            List<MqttPublishMessage> flood = new java.util.ArrayList<>();
            for (int i = 0; i < requests; i++) {
                flood.add(MqttMessageBuilders.publish().topicName("$iothub/twin/GET/?$rid=" + i).qos(MqttQoS.AT_MOST_ONCE)
                        .payload(io.netty.buffer.Unpooled.EMPTY_BUFFER).build());
            }
            device.sendAll(flood);

            // THEN every request gets one answer: the twin, or 429 with the registry's error body once too many wait
            java.util.Map<String, Integer> statusByRid = new java.util.HashMap<>();
            while (statusByRid.size() < requests) {
                MqttPublishMessage answer = nextPublish(device);
                var matcher = java.util.regex.Pattern.compile("\\$iothub/twin/res/(\\d+)/\\?\\$rid=(\\d+)")
                        .matcher(answer.variableHeader().topicName());
                assertThat(matcher.matches()).as(answer.variableHeader().topicName()).isTrue();
                int status = Integer.parseInt(matcher.group(1));
                assertThat(statusByRid.put(matcher.group(2), status)).as("answered once").isNull();
                JsonObject body = new JsonObject(answer.payload().toString(StandardCharsets.UTF_8));
                if (status == 429) {
                    assertThat(body.getString("message")).contains("twin requests wait for an answer");
                } else {
                    assertThat(status).isEqualTo(200);
                    assertThat(body.containsKey("desired")).isTrue();
                }
                answer.release();
            }
            assertThat(statusByRid.values()).contains(429).filteredOn(s -> s == 200).hasSizeGreaterThanOrEqualTo(64);

            // AND the session goes on: the next request is answered
            device.publish("$iothub/twin/GET/?$rid=after", MqttQoS.AT_MOST_ONCE, new byte[0], 0);
            MqttPublishMessage after = nextPublish(device);
            assertThat(after.variableHeader().topicName()).isEqualTo("$iothub/twin/res/200/?$rid=after");
            after.release();
        }
    }

    @Test
    void aDeviceWritingReportedPropertiesFlatOutIsThrottledAndOthersWriteOn() throws Exception {
        int requests = 300;
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            connect(device, "pump-7", true);
            device.subscribe("$iothub/twin/res/#", 1);

            // WHEN the device sends reported-property updates as fast as they are answered, in batches of 50
            // (fewer than the 64 twin requests that may wait at once, so that bound never answers)
            long started = System.nanoTime();
            int written = 0;
            for (int batch = 0; batch < requests / 50; batch++) {
                List<MqttPublishMessage> updates = new java.util.ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    updates.add(MqttMessageBuilders.publish().qos(MqttQoS.AT_MOST_ONCE)
                            .topicName("$iothub/twin/PATCH/properties/reported/?$rid=" + (batch * 50 + i))
                            .payload(io.netty.buffer.Unpooled.copiedBuffer("{\"n\":" + i + "}", StandardCharsets.UTF_8))
                            .build());
                }
                device.sendAll(updates);

                // THEN a burst is written, the rest answered 429 with the reason
                for (int answered = 0; answered < 50; answered++) {
                    MqttPublishMessage answer = nextPublish(device);
                    String topic = answer.variableHeader().topicName();
                    if (topic.startsWith("$iothub/twin/res/429/")) {
                        assertThat(answer.payload().toString(StandardCharsets.UTF_8))
                                .contains("reported property updates a second");
                    } else {
                        assertThat(topic).startsWith("$iothub/twin/res/204/");
                        written++;
                    }
                    answer.release();
                }
            }
            long seconds = (System.nanoTime() - started) / 1_000_000_000L + 1;
            assertThat(written).isGreaterThan(0).isLessThanOrEqualTo(100 + 10 * (int) seconds);

            // AND another device writes at once, and this one again after a pause
            try (RawMqtt other = RawMqtt.open(gateway, HUB)) {
                connect(other, "pump-8", true);
                other.subscribe("$iothub/twin/res/#", 1);
                other.publish("$iothub/twin/PATCH/properties/reported/?$rid=other", MqttQoS.AT_MOST_ONCE,
                        "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), 0);
                MqttPublishMessage answer = nextPublish(other);
                assertThat(answer.variableHeader().topicName()).startsWith("$iothub/twin/res/204/?$rid=other");
                answer.release();
            }
            Thread.sleep(200);
            device.publish("$iothub/twin/PATCH/properties/reported/?$rid=later", MqttQoS.AT_MOST_ONCE,
                    "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), 0);
            MqttPublishMessage later = nextPublish(device);
            assertThat(later.variableHeader().topicName()).startsWith("$iothub/twin/res/204/?$rid=later");
            later.release();
        }
    }

    /** The next PUBLISH from the hub, past the PUBACKs of the device's own QoS 1 requests. */
    private static MqttPublishMessage nextPublish(RawMqtt device) throws Exception {
        while (true) {
            MqttMessage message = device.read();
            if (message instanceof MqttPublishMessage publish) {
                return publish;
            }
            assertThat(message.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
        }
    }
}
