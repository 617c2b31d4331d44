package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.onramp.gateway.mqtt.DpsMqttSessionAccess;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed, oversized, unauthenticated and out-of-bounds MQTT traffic, each answered as MQTT
 * answers it (CONNACK code, SUBACK 0x80, DPS error topic, or closing the offender's connection),
 * while a bystander device's session keeps working.
 */
class MqttBadInputIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String HUB = "127.0.0.8";
    static final String OWNER = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    RawMqtt bystander;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.14", List.of(HUB), dataDir, """
            hubs:
              - { name: line-a, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY));
        for (String id : List.of("good", "bad", "other", "to-disable", "to-delete")) {
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

    @BeforeEach
    void connectBystander() throws Exception {
        bystander = RawMqtt.open(gateway, HUB);
        assertThat(bystander.connectDevice(HUB, "good", key("good"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }

    @AfterEach
    void bystanderStillWorks() throws Exception {
        bystander.publish("devices/good/messages/events/", MqttQoS.AT_LEAST_ONCE, "{}".getBytes(StandardCharsets.UTF_8), 7);
        assertThat(RawMqtt.isPubAck(bystander.read(), 7)).as("the bystander's telemetry is acknowledged").isTrue();
        bystander.close();
    }

    private static RawMqtt device(String id) throws Exception {
        RawMqtt client = RawMqtt.open(gateway, HUB);
        assertThat(client.connectDevice(HUB, id, key(id))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        return client;
    }

    @Test
    void wrongKeyUnknownDeviceUnknownHubAndExpiredTokenAreNotAuthorized() throws Exception {
        String wrongKey = key("someone-else");
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connectDevice(HUB, "bad", wrongKey)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
            assertThat(client.closedWithin(3000)).isTrue();
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connectDevice(HUB, "nobody", key("nobody"))).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connectDevice("hub.elsewhere.example", "bad", key("bad")))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            String expired = RawMqtt.deviceToken(HUB, "bad", key("bad"), -3600);
            assertThat(client.connect("bad", RawMqtt.deviceUser(HUB, "bad"), expired, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            // a valid token of "bad" presented by a client calling itself "other"
            assertThat(client.connect("other", RawMqtt.deviceUser(HUB, "other"),
                    RawMqtt.deviceToken(HUB, "bad", key("bad"), 3600), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connect("bad", RawMqtt.deviceUser(HUB, "bad"), null, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    @Test
    void wildcardsInClientIdOrUserNameAreRefused() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connect("bad/#", RawMqtt.deviceUser(HUB, "bad/#"), RawMqtt.deviceToken(HUB, "bad/#", key("bad"), 60), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connect("+", HUB + "/+/?api-version=2021-04-12", RawMqtt.deviceToken(HUB, "+", key("bad"), 60), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    @Test
    void anOldProtocolLevelGetsReturnCode1() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            client.send(MqttMessageBuilders.connect().clientId("bad").protocolVersion(MqttVersion.MQTT_3_1)
                    .hasUser(true).username(RawMqtt.deviceUser(HUB, "bad")).build());
            MqttMessage answer = client.read();
            assertThat(((io.netty.handler.codec.mqtt.MqttConnAckMessage) answer).variableHeader().connectReturnCode())
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        }
    }

    @Test
    void malformedBytesCloseTheConnection() throws Exception {
        byte[][] malformed = {
            {0x00, 0x00},                                                     // reserved packet type 0
            {0x36, 0x03, 0x00, 0x01, 0x41},                                   // PUBLISH with QoS 3
            {0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, // remaining length over 4 bytes
            {(byte) 0x82, 0x02, 0x00, 0x01},                                  // SUBSCRIBE without a filter
        };
        for (byte[] bytes : malformed) {
            try (RawMqtt client = device("bad")) {
                client.sendBytes(bytes);
                assertThat(client.closedWithin(5000)).as(java.util.HexFormat.of().formatHex(bytes)).isTrue();
            }
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            client.sendBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void aSecondConnectClosesTheConnection() throws Exception {
        try (RawMqtt client = device("bad")) {
            client.send(MqttMessageBuilders.connect().clientId("bad").protocolVersion(MqttVersion.MQTT_3_1_1).build());
            assertThat(client.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void aPacketBeforeConnectClosesTheConnection() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            client.publish("devices/bad/messages/events/", MqttQoS.AT_MOST_ONCE, new byte[1], 0);
            assertThat(client.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void oversizedTelemetryClosesOnlyTheSender() throws Exception {
        try (RawMqtt client = device("bad")) {
            client.publish("devices/bad/messages/events/", MqttQoS.AT_LEAST_ONCE, new byte[256 * 1024 + 1], 1);
            assertThat(client.closedWithin(5000)).as("no PUBACK for a message over 256 KiB").isTrue();
        }
        try (RawMqtt client = device("bad")) {
            boolean closed;
            try {
                client.publish("devices/bad/messages/events/", MqttQoS.AT_LEAST_ONCE, new byte[2 * 1024 * 1024], 1);
                closed = client.closedWithin(5000);
            } catch (java.net.SocketException resetWhileSending) {
                closed = true; // the server closed the connection before the whole packet was written
            }
            assertThat(closed).as("a packet over the listener's limit").isTrue();
        }
    }

    @Test
    void publishingOutsideItsOwnTopicsClosesTheConnection() throws Exception {
        for (String topic : List.of("devices/other/messages/events/", "devices/bad/messages/events/../../other",
                "$iothub/methods/POST/reboot/?$rid=1", "factory/line-a/anything", "devices/bad/messages/devicebound/x")) {
            try (RawMqtt client = device("bad")) {
                client.publish(topic, MqttQoS.AT_LEAST_ONCE, "{}".getBytes(StandardCharsets.UTF_8), 1);
                assertThat(client.closedWithin(5000)).as(topic).isTrue();
            }
        }
    }

    @Test
    void wildcardsInAPublishTopicCloseTheConnection() throws Exception {
        try (RawMqtt client = device("bad")) {
            client.publish("devices/+/messages/events/", MqttQoS.AT_MOST_ONCE, new byte[1], 0);
            assertThat(client.closedWithin(5000)).isTrue();
        }
    }

    @Test
    void subscribingToOtherTopicsIsRefusedWithoutClosing() throws Exception {
        try (RawMqtt client = device("bad")) {
            assertThat(client.subscribe("devices/other/messages/devicebound/#", 1)).isEqualTo(0x80);
            assertThat(client.subscribe("devices/+/messages/devicebound/#", 2)).isEqualTo(0x80);
            assertThat(client.subscribe("#", 3)).isEqualTo(0x80);
            assertThat(client.subscribe("devices/bad/messages/events/#", 4)).isEqualTo(0x80);
            assertThat(client.subscribe("devices/bad/messages/devicebound/#", 5)).isEqualTo(1);
        }
    }

    @Test
    void aSecondConnectionOfTheSameDeviceReplacesTheFirst() throws Exception {
        try (RawMqtt first = device("bad"); RawMqtt second = device("bad")) {
            assertThat(first.closedWithin(5000)).isTrue();
            second.publish("devices/bad/messages/events/", MqttQoS.AT_LEAST_ONCE, new byte[1], 9);
            assertThat(RawMqtt.isPubAck(second.read(), 9)).isTrue();
        }
    }

    @Test
    void keepAliveExpiryClosesASilentConnection() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connect("bad", RawMqtt.deviceUser(HUB, "bad"), RawMqtt.deviceToken(HUB, "bad", key("bad"), 3600), 1))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(client.closedWithin(6000)).as("closed after 1.5 x the 1 s keep-alive").isTrue();
        }
    }

    @Test
    void aConnectionIsClosedWhenItsTokenExpires() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            // The token's expiry lies 298 s back: accepted within the 5-minute clock skew, and out of it 2 s
            // from now. Pings keep the connection alive, so only the expiry may end it (swept every 5 s).
            assertThat(client.connect("bad", RawMqtt.deviceUser(HUB, "bad"), RawMqtt.deviceToken(HUB, "bad", key("bad"), -298), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            boolean closed = false;
            for (int i = 0; i < 24 && !closed; i++) {
                try {
                    client.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
                    closed = client.closedWithin(500);
                } catch (java.net.SocketException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed within 12 s of a token that expired after 2 s").isTrue();
        }
    }

    @Test
    void consumersNeedTheHubOwnerToken() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            String wrong = SasTokenSigner.sign(HUB, Instant.now().getEpochSecond() + 600, SymmetricKeys.decode(GROUP_KEY), "iothubowner");
            assertThat(client.connect("consumer", HUB + "/$service", wrong, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connect("consumer", HUB + "/$service", TelemetryConsumer.serviceToken(HUB, OWNER), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(client.subscribe("$iothub/twin/res/#", 1)).as("consumers read telemetry only").isEqualTo(0x80);
            client.publish("devices/good/messages/events/", MqttQoS.AT_MOST_ONCE, new byte[1], 0);
            assertThat(client.closedWithin(5000)).as("consumers may not publish").isTrue();
        }
    }

    @Test
    void aSlowConsumerDoesNotHoldUpDevicesAndItsQueueIsBounded() throws Exception {
        try (RawMqtt consumer = RawMqtt.open(gateway, HUB); RawMqtt sender = device("bad")) {
            assertThat(consumer.connect("slow", HUB + "/$service", TelemetryConsumer.serviceToken(HUB, OWNER), 600))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(consumer.subscribe("devices/+/messages/events/#", 1)).isEqualTo(1);
            // The consumer reads nothing from here on; the device keeps publishing and being acknowledged.
            byte[] body = new byte[4096];
            int sent = 5000;
            for (int i = 1; i <= sent; i++) {
                sender.publish("devices/bad/messages/events/", MqttQoS.AT_LEAST_ONCE, body, i % 60000 + 1);
                assertThat(RawMqtt.isPubAck(sender.read(), i % 60000 + 1)).isTrue();
            }
            // What reaches the consumer is what its bounded queue and the socket buffers held, not all 5000 (20 MB).
            int received = 0;
            consumer.setReadTimeout(2000);
            try {
                while (true) {
                    MqttMessage message = consumer.read();
                    if (message instanceof MqttPublishMessage publish) {
                        received++;
                        consumer.send(MqttMessageBuilders.pubAck().packetId(publish.variableHeader().packetId()).build());
                        publish.release();
                    }
                }
            } catch (java.io.IOException timedOut) {
                // drained
            }
            assertThat(received).isPositive().isLessThan(sent);

            // AND once it has read (and acknowledged) its queue, it gets the device's next message again
            sender.publish("devices/bad/messages/events/", MqttQoS.AT_LEAST_ONCE, "after".getBytes(StandardCharsets.UTF_8), 7);
            assertThat(RawMqtt.isPubAck(sender.read(), 7)).isTrue();
            consumer.setReadTimeout(10_000);
            MqttMessage next = consumer.read();
            assertThat(next).isInstanceOf(MqttPublishMessage.class);
            assertThat(((MqttPublishMessage) next).payload().toString(StandardCharsets.UTF_8)).isEqualTo("after");
            ((MqttPublishMessage) next).release();
        }
    }

    @Test
    void dpsRequestsWithBadBodiesGetErrorResponsesOnTheResponseTopic() throws Exception {
        try (RawMqtt client = dpsClient()) {
            assertThat(client.subscribe("$dps/registrations/#", 2)).isEqualTo(0x80);

            client.publish("$dps/registrations/PUT/iotdps-register/?$rid=41", MqttQoS.AT_MOST_ONCE,
                    "{not json".getBytes(StandardCharsets.UTF_8), 0);
            MqttPublishMessage malformed = nextPublish(client);
            assertThat(malformed.variableHeader().topicName()).isEqualTo("$dps/registrations/res/400/?$rid=41");
            assertThat(new JsonObject(malformed.payload().toString(StandardCharsets.UTF_8)).getInteger("errorCode")).isEqualTo(400004);

            client.publish("$dps/registrations/PUT/iotdps-register/?$rid=42", MqttQoS.AT_MOST_ONCE, new byte[33 * 1024], 0);
            assertThat(nextPublish(client).variableHeader().topicName()).isEqualTo("$dps/registrations/res/413/?$rid=42");

            client.publish("$dps/registrations/PUT/iotdps-register/?$rid=43", MqttQoS.AT_MOST_ONCE,
                    "{\"registrationId\":\"other\"}".getBytes(StandardCharsets.UTF_8), 0);
            assertThat(nextPublish(client).variableHeader().topicName()).startsWith("$dps/registrations/res/400/?$rid=43");

            client.publish("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=44&operationId=nope", MqttQoS.AT_MOST_ONCE,
                    new byte[0], 0);
            assertThat(nextPublish(client).variableHeader().topicName()).isEqualTo("$dps/registrations/res/404/?$rid=44");

            client.publish("$dps/registrations/PUT/iotdps-register/?$rid=45", MqttQoS.AT_LEAST_ONCE,
                    "{\"registrationId\":\"bad\"}".getBytes(StandardCharsets.UTF_8), 5);
            MqttMessage first = client.read();
            assertThat(RawMqtt.isPubAck(first, 5)).as("QoS 1 requests are acknowledged").isTrue();
            assertThat(nextPublish(client).variableHeader().topicName()).matches("\\$dps/registrations/res/20[02]/\\?\\$rid=45.*");

            client.publish("$dps/registrations/DELETE/anything/?$rid=46", MqttQoS.AT_MOST_ONCE, new byte[0], 0);
            assertThat(client.closedWithin(5000)).isTrue();
        }
    }

    /** provisioning-device-client 2.1.3 misses answers that come before it waits (DpsMqttSession.MIN_ANSWER_MILLIS). */
    @Test
    void dpsAnswersLeaveNoSoonerThanTheFloorAfterTheirRequest() throws Exception {
        try (RawMqtt client = dpsClient()) {
            for (int rid = 1; rid <= 3; rid++) {
                long sent = System.nanoTime();
                client.publish("$dps/registrations/GET/iotdps-get-operationstatus/?$rid=" + rid + "&operationId=nope",
                        MqttQoS.AT_MOST_ONCE, new byte[0], 0);
                assertThat(nextPublish(client).variableHeader().topicName())
                        .isEqualTo("$dps/registrations/res/404/?$rid=" + rid);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent))
                        .isGreaterThanOrEqualTo(DpsMqttSessionAccess.MIN_ANSWER_MILLIS);
            }
        }
    }

    @Test
    void dpsConnectsWithBadCredentialsAreRefused() throws Exception {
        String user = TestGateway.ID_SCOPE + "/registrations/bad/api-version=2019-03-31";
        try (RawMqtt client = RawMqtt.open(gateway, gateway.address())) {
            assertThat(client.connect("bad", user, RawDps.token("bad", key("other")), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, gateway.address())) {
            assertThat(client.connect("other", user, RawDps.token("bad", key("bad")), 60))
                    .as("client id must be the registration ID").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = RawMqtt.open(gateway, gateway.address())) {
            assertThat(client.connect("bad", user, null, 60)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        }
        try (RawMqtt client = RawMqtt.open(gateway, gateway.address())) {
            assertThat(client.connect("bad", "0ne99999999/registrations/bad/api-version=2019-03-31", RawDps.token("bad", key("bad")), 60))
                    .as("another ID scope").isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    @Test
    void aDeviceDisabledOrDeletedWhileConnectedIsDisconnected() throws Exception {
        RawHub service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        String token = RawHub.token(HUB, OWNER, RawHub.OWNER);
        try (RawMqtt client = device("to-disable")) {
            HttpResponse<String> disabled = service.send("PUT", "/devices/to-disable", token,
                    "{\"deviceId\":\"to-disable\",\"status\":\"disabled\"}", "If-Match", "\"*\"");
            assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
            assertThat(client.closedWithin(5000)).as("disabled while connected").isTrue();
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connectDevice(HUB, "to-disable", key("to-disable")))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        try (RawMqtt client = device("to-delete")) {
            HttpResponse<String> deleted = service.send("DELETE", "/devices/to-delete", token, null, "If-Match", "\"*\"");
            assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
            assertThat(client.closedWithin(5000)).as("deleted while connected").isTrue();
        }
        try (RawMqtt client = RawMqtt.open(gateway, HUB)) {
            assertThat(client.connectDevice(HUB, "to-delete", key("to-delete")))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
    }

    /** The provisioning client of registration "bad", connected and subscribed to its answers. */
    private static RawMqtt dpsClient() throws Exception {
        RawMqtt client = RawMqtt.open(gateway, gateway.address());
        try {
            String user = TestGateway.ID_SCOPE + "/registrations/bad/api-version=2019-03-31&ClientVersion=raw";
            assertThat(client.connect("bad", user, RawDps.token("bad", key("bad")), 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(client.subscribe("$dps/registrations/res/#", 1)).isEqualTo(1);
            return client;
        } catch (Exception | AssertionError e) {
            client.close();
            throw e;
        }
    }

    private static MqttPublishMessage nextPublish(RawMqtt client) throws Exception {
        while (true) {
            MqttMessage message = client.read();
            if (message instanceof MqttPublishMessage publish) {
                return publish;
            }
        }
    }
}
