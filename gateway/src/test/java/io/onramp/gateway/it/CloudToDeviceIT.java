package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cloud-to-device messages are durable: accepted means stored, a restart keeps them, a lost PUBACK
 * sends one again, the device's PUBACK removes it, the queue holds 50, and deleting the device
 * deletes its messages. The device is a raw MQTT client so that each PUBACK is the test's choice.
 */
class CloudToDeviceIT {

    static final String GROUP_KEY = "QzJEVGVzdEdyb3VwS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String HUB = "127.0.0.112";
    static final String OWNER = "QzJESHViT3duZXJLZXlGb3JUZXN0c09ubHkwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawHub service;
    static String token;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.111", List.of(HUB), dataDir, """
            hubs:
              - { name: line-c, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: valves
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY));
        for (String id : List.of("valve-1", "valve-2", "valve-3", "valve-4")) {
            SdkDevice.registerOverHttps(gateway, id, key(id), null);
        }
        token = RawHub.token(HUB, OWNER, RawHub.OWNER);
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    static String key(String registrationId) {
        return SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId);
    }

    static RawHub service() {
        return new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
    }

    static HttpResponse<String> send(String deviceId, String body, String messageId) throws Exception {
        return service().send("POST", "/devices/" + deviceId + "/messages/deviceBound", token, body,
                "iothub-messageid", messageId);
    }

    static int waitingCount(String deviceId) throws Exception {
        HttpResponse<String> device = service().send("GET", "/devices/" + deviceId, token, null);
        assertThat(device.statusCode()).as(device.body()).isEqualTo(200);
        return new JsonObject(device.body()).getInteger("cloudToDeviceMessageCount");
    }

    static RawMqtt subscribed(String deviceId) throws Exception {
        RawMqtt device = RawMqtt.open(gateway, HUB);
        // A clean session: each test decides what the device subscribes to (HubSessionIT covers resumed ones).
        assertThat(device.connectDeviceClean(HUB, deviceId, key(deviceId))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        assertThat(device.subscribe("devices/" + deviceId + "/messages/devicebound/#", 3)).isEqualTo(1);
        return device;
    }

    /** The next PUBLISH, skipping the SUBACK and anything else. */
    static MqttPublishMessage nextPublish(RawMqtt device) throws Exception {
        for (int i = 0; i < 10; i++) {
            MqttMessage message = device.read();
            if (message instanceof MqttPublishMessage publish) {
                return publish;
            }
        }
        throw new AssertionError("no PUBLISH");
    }

    static String body(MqttPublishMessage publish) {
        String body = publish.payload().toString(StandardCharsets.UTF_8);
        publish.release();
        return body;
    }

    @Test
    void messagesSentWhileTheDeviceIsOfflineSurviveARestartAndArriveInOrder() throws Exception {
        assertThat(send("valve-1", "open", "m-1").statusCode()).isEqualTo(204);
        assertThat(send("valve-1", "close", "m-2").statusCode()).isEqualTo(204);
        assertThat(waitingCount("valve-1")).isEqualTo(2);

        gateway.restart();

        assertThat(waitingCount("valve-1")).as("counted again from the store").isEqualTo(2);
        try (RawMqtt device = subscribed("valve-1")) {
            MqttPublishMessage first = nextPublish(device);
            assertThat(first.variableHeader().topicName()).startsWith("devices/valve-1/messages/devicebound/").contains("m-1");
            int firstId = first.variableHeader().packetId();
            assertThat(body(first)).isEqualTo("open");
            MqttPublishMessage second = nextPublish(device);
            int secondId = second.variableHeader().packetId();
            assertThat(body(second)).isEqualTo("close");
            device.send(MqttMessageBuilders.pubAck().packetId(firstId).build());
            device.send(MqttMessageBuilders.pubAck().packetId(secondId).build());
            awaitCount("valve-1", 0);
        }
        try (RawMqtt again = subscribed("valve-1")) {
            again.setReadTimeout(1500);
            assertThat(again.closedWithin(1500)).as("nothing more arrives, and the connection stays").isFalse();
        }
    }

    @Test
    void aMessageWhosePubackWasLostIsSentAgainOnTheNextSubscription() throws Exception {
        try (RawMqtt device = subscribed("valve-2")) {
            assertThat(send("valve-2", "purge", "m-3").statusCode()).isEqualTo(204);
            assertThat(body(nextPublish(device))).isEqualTo("purge");
        }
        assertThat(waitingCount("valve-2")).isEqualTo(1);
        try (RawMqtt device = subscribed("valve-2")) {
            MqttPublishMessage again = nextPublish(device);
            int packetId = again.variableHeader().packetId();
            assertThat(body(again)).isEqualTo("purge");
            device.send(MqttMessageBuilders.pubAck().packetId(packetId).build());
            awaitCount("valve-2", 0);
        }
    }

    @Test
    void theQueueHoldsFiftyAndRefusesTheNextWithTheHubsError() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertThat(send("valve-3", "m" + i, "q-" + i).statusCode()).isEqualTo(204);
        }
        RawHub.assertHubError(send("valve-3", "one too many", "q-50"), 403, "DeviceMaximumQueueDepthExceeded");
        assertThat(waitingCount("valve-3")).isEqualTo(50);
    }

    @Test
    void deletingTheDeviceDeletesItsMessages() throws Exception {
        assertThat(send("valve-4", "drain", "d-1").statusCode()).isEqualTo(204);
        HttpResponse<String> device = service().send("GET", "/devices/valve-4", token, null);
        JsonObject identity = new JsonObject(device.body());
        HttpResponse<String> deleted = service().send("DELETE", "/devices/valve-4", token, null, "If-Match", "*");
        assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 204);
        identity.remove("etag");
        identity.remove("generationId");
        HttpResponse<String> created = service().send("PUT", "/devices/valve-4", token, identity.encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        try (RawMqtt again = subscribed("valve-4")) {
            assertThat(again.closedWithin(1500)).isFalse();
        }
        assertThat(waitingCount("valve-4")).isEqualTo(0);
    }

    static void awaitCount(String deviceId, int expected) throws Exception {
        for (int i = 0; i < 50 && waitingCount(deviceId) != expected; i++) {
            Thread.sleep(100);
        }
        assertThat(waitingCount(deviceId)).isEqualTo(expected);
    }
}
