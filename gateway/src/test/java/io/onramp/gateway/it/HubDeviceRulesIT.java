package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a device meets on its hub beyond the happy path, found by a new user's walk: twin answers in
 * request order (hub-device-protocol 3.6).
 */
class HubDeviceRulesIT {

    static final String GROUP_KEY = "SHViRGV2aWNlUnVsZXNHcm91cEtleUZvclRlc3RzMDA=";
    static final String HUB = "127.0.0.211";
    static final String OTHER_HUB = "127.0.0.212";
    static final String OWNER = "SHViRGV2aWNlUnVsZXNPd25lcktleUZvclRlc3RzMDA=";
    static final String OTHER_OWNER = "T3RoZXJIdWJEZXZpY2VSdWxlc093bmVyS2V5MDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.210", List.of(HUB, OTHER_HUB), dataDir, """
            hubs:
              - { name: line-r, hostName: %s, ownerKey: %s }
              - { name: line-q, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: meters
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [%s]
            """.formatted(HUB, OWNER, OTHER_HUB, OTHER_OWNER, GROUP_KEY, HUB));
        for (String id : List.of("meter-1", "meter-2", "meter-3", "meter-4", "meter-5")) {
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

    @Test
    void aTwinGetSentRightAfterAReportedPatchSeesThatPatch() throws Exception {
        try (RawMqtt device = RawMqtt.open(gateway, HUB)) {
            assertThat(device.connectDeviceClean(HUB, "meter-1", key("meter-1"))).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(device.subscribe("$iothub/twin/res/#", 1)).isEqualTo(1);
            // Several rounds: one lucky ordering must not let the test pass.
            for (int seq = 1; seq <= 20; seq++) {
                device.publish("$iothub/twin/PATCH/properties/reported/?$rid=p" + seq, MqttQoS.AT_MOST_ONCE,
                        ("{\"seq\":" + seq + "}").getBytes(StandardCharsets.UTF_8), 0);
                device.publish("$iothub/twin/GET/?$rid=g" + seq, MqttQoS.AT_MOST_ONCE, new byte[0], 0);

                MqttPublishMessage first = nextPublish(device);
                String patched = first.variableHeader().topicName();
                first.release();
                assertThat(patched).as("the PATCH is answered first").startsWith("$iothub/twin/res/204/?$rid=p" + seq + "&$version=");
                long patchVersion = Long.parseLong(patched.substring(patched.indexOf("&$version=") + 10));

                MqttPublishMessage second = nextPublish(device);
                assertThat(second.variableHeader().topicName()).isEqualTo("$iothub/twin/res/200/?$rid=g" + seq);
                JsonObject reported = new JsonObject(second.payload().toString(StandardCharsets.UTF_8)).getJsonObject("reported");
                second.release();
                assertThat(reported.getInteger("seq")).as("the GET sees the PATCH before it").isEqualTo(seq);
                assertThat(reported.getLong("$version")).isGreaterThanOrEqualTo(patchVersion);
            }
        }
    }

    /** The next PUBLISH from the hub, past the PUBACKs of the device's own QoS 1 requests. */
    static MqttPublishMessage nextPublish(RawMqtt device) throws Exception {
        while (true) {
            MqttMessage message = device.read();
            if (message instanceof MqttPublishMessage publish) {
                return publish;
            }
            assertThat(message.fixedHeader().messageType()).isIn(MqttMessageType.PUBACK, MqttMessageType.SUBACK);
        }
    }
}
