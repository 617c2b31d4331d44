package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawMqtt;
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
 * A register body with a field twice, or a number beyond a double, is refused with 400004 naming the field, over
 * HTTPS and MQTT alike: not settled by the last value, nor echoed back as the string "Infinity".
 */
class RegisterBodyStrictIT {

    static final String HUB = "127.0.0.230";
    static final String GROUP_KEY = "UmVnaXN0ZXJCb2R5U3RyaWN0R3JvdXBLZXkwMDAwMDA=";
    static final String DUPLICATE_ID = "{\"registrationId\":\"sensor-1\",\"registrationId\":\"sensor-2\"}";
    static final String INFINITE = "{\"registrationId\":\"sensor-1\",\"payload\":{\"n\":1e999999999}}";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = TestGateway.startWithMqtt("127.0.0.227", List.of(HUB), dataDir, """
            hubs: [ { name: line-a, hostName: %s, ownerKey: UmVnaXN0ZXJCb2R5U3RyaWN0T3duZXJLZXkwMDAwMDA= } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, GROUP_KEY));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void overHttps() throws Exception {
        RawDps dps = new RawDps(gateway);
        String path = "/" + TestGateway.ID_SCOPE + "/registrations/sensor-1/register?" + RawDps.API;
        String token = RawDps.token("sensor-1", SymmetricKeys.deriveDeviceKey(GROUP_KEY, "sensor-1"));

        HttpResponse<String> duplicate = dps.register(path, token, DUPLICATE_ID);
        HttpResponse<String> infinite = dps.register(path, token, INFINITE);

        HttpsBadInputIT.assertError(duplicate, 400, 400004);
        assertThat(new JsonObject(duplicate.body()).getString("message")).contains("the field registrationId more than once");
        HttpsBadInputIT.assertError(infinite, 400, 400004);
        assertThat(new JsonObject(infinite.body()).getString("message")).contains("payload.n is a number out of range");
        assertThat(dps.registerAndPoll("sensor-1", token).getString("status")).as("a good body still registers")
                .isEqualTo("assigned");
    }

    @Test
    void overMqtt() throws Exception {
        try (RawMqtt client = RawMqtt.open(gateway, gateway.address())) {
            String user = TestGateway.ID_SCOPE + "/registrations/sensor-2/api-version=2019-03-31";
            String token = RawDps.token("sensor-2", SymmetricKeys.deriveDeviceKey(GROUP_KEY, "sensor-2"));
            assertThat(client.connect("sensor-2", user, token, 60)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
            assertThat(client.subscribe("$dps/registrations/res/#", 1)).isEqualTo(1);

            JsonObject duplicate = register(client, 1, DUPLICATE_ID.replace("sensor-1", "sensor-2"));
            JsonObject infinite = register(client, 2, INFINITE.replace("sensor-1", "sensor-2"));

            assertThat(duplicate.getInteger("errorCode")).isEqualTo(400004);
            assertThat(duplicate.getString("message")).contains("the field registrationId more than once");
            assertThat(infinite.getInteger("errorCode")).isEqualTo(400004);
            assertThat(infinite.getString("message")).contains("payload.n is a number out of range");
        }
    }

    /** Publishes a register request and answers the error body of its 400 response. */
    private static JsonObject register(RawMqtt client, int rid, String body) throws Exception {
        client.publish("$dps/registrations/PUT/iotdps-register/?$rid=" + rid, MqttQoS.AT_MOST_ONCE,
                body.getBytes(StandardCharsets.UTF_8), 0);
        while (true) {
            MqttMessage message = client.read();
            if (message instanceof MqttPublishMessage publish) {
                try {
                    assertThat(publish.variableHeader().topicName()).isEqualTo("$dps/registrations/res/400/?$rid=" + rid);
                    return new JsonObject(publish.payload().toString(StandardCharsets.UTF_8));
                } finally {
                    publish.release();
                }
            }
        }
    }
}
