package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.twin.DirectMethodResponse;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.device.twin.TwinCollection;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.HubDevice;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole device flow with the official Java SDKs, unmodified: provision over MQTT (or HTTPS),
 * connect to the assigned hub with {@code iot-device-client} over MQTT, send telemetry that a
 * local consumer receives, use the twin, answer a direct method, receive a cloud-to-device message.
 */
class MqttDeviceFlowIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String DEVICE_KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final String HUB_A = "127.0.0.6";
    static final String HUB_B = "127.0.0.7";
    static final String OWNER_A = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String OWNER_B = "SHViQk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = TestGateway.startWithMqtt("127.0.0.13", List.of(HUB_A, HUB_B), dataDir, """
            hubs:
              - { name: line-a, hostName: %s, ownerKey: %s }
              - { name: line-b, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                initialTwin: { tags: { site: plant-1 }, properties: { desired: { interval: 30 } } }
            individualEnrollments:
              - registrationId: press-7
                deviceId: press-7-dev
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB_A, OWNER_A, HUB_B, OWNER_B, GROUP_KEY, DEVICE_KEY));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void groupDeviceProvisionsOverMqttThenWorksOnItsHub() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "sensor-mqtt-1");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverMqtt(gateway, "sensor-mqtt-1", key, null);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isIn(HUB_A, HUB_B);
        assertThat(result.getDeviceId()).isEqualTo("sensor-mqtt-1");
        useTheHub(result.getIothubUri(), result.getDeviceId(), key);
    }

    @Test
    void individualDeviceProvisionsOverMqttWithItsDeviceId() throws Exception {
        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverMqtt(gateway, "press-7", DEVICE_KEY,
                "{\"modelId\":\"dtmi:test;1\"}");

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getDeviceId()).isEqualTo("press-7-dev");
        try (TelemetryConsumer consumer = consumer(result.getIothubUri());
                HubDevice device = HubDevice.connect(gateway, result.getIothubUri(), result.getDeviceId(), DEVICE_KEY)) {
            sendAndReceive(device, consumer, result.getDeviceId());
        }
    }

    @Test
    void deviceProvisionedOverHttpsWorksOnItsHubToo() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "sensor-https-1");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverHttps(gateway, "sensor-https-1", key, null);

        useTheHub(result.getIothubUri(), result.getDeviceId(), key);
    }

    private void useTheHub(String hub, String deviceId, String key) throws Exception {
        RawHub service = new RawHub(hub + ":" + gateway.httpsPort(), gateway.caFile());
        String token = RawHub.token(hub, hub.equals(HUB_A) ? OWNER_A : OWNER_B, RawHub.OWNER);
        try (TelemetryConsumer consumer = consumer(hub); HubDevice device = HubDevice.connect(gateway, hub, deviceId, key)) {
            sendAndReceive(device, consumer, deviceId);

            // The twin the device sees first is the enrollment's initial twin.
            BlockingQueue<Twin> desiredUpdates = new LinkedBlockingQueue<>();
            device.client().subscribeToDesiredProperties((twin, context) -> desiredUpdates.add(twin), null);
            Twin twin = device.twin();
            assertThat(((Number) twin.getDesiredProperties().get("interval")).intValue()).isEqualTo(30);
            assertThat(twin.getDesiredProperties().getVersion()).isEqualTo(1);

            TwinCollection reported = new TwinCollection();
            reported.put("firmware", "1.4.2");
            Integer acknowledged = device.reportedVersion(reported);
            if (acknowledged != null) {
                assertThat(acknowledged).isEqualTo(2);
            }
            // Read back from the service side: the stored twin is what counts when the SDK lost the answer.
            assertThat(new JsonObject(service.send("GET", "/twins/" + deviceId, token, null).body())
                    .getJsonObject("properties").getJsonObject("reported").getString("firmware")).isEqualTo("1.4.2");

            // The service changes a desired property: the device hears it with the new version.
            HttpResponse<String> patched = service.send("PATCH", "/twins/" + deviceId, token,
                    "{\"properties\":{\"desired\":{\"interval\":10}}}", "If-Match", "\"*\"");
            assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
            Twin update = desiredUpdates.poll(10, TimeUnit.SECONDS);
            assertThat(update).as("desired-property notification").isNotNull();
            assertThat(((Number) update.getDesiredProperties().get("interval")).intValue()).isEqualTo(10);
            assertThat(update.getDesiredProperties().getVersion()).isEqualTo(2);

            device.client().subscribeToMethods((method, payload, context) -> new DirectMethodResponse(200,
                    Map.of("rebooting", method.equals("reboot"), "delay", payload.getPayloadAsJsonElement().getAsJsonObject()
                            .get("delay").getAsInt())), null);
            HttpResponse<String> invoked = service.send("POST", "/twins/" + deviceId + "/methods", token,
                    "{\"methodName\":\"reboot\",\"payload\":{\"delay\":5},\"responseTimeoutInSeconds\":10}");
            assertThat(invoked.statusCode()).as(invoked.body()).isEqualTo(200);
            JsonObject answer = new JsonObject(invoked.body());
            assertThat(answer.getInteger("status")).isEqualTo(200);
            assertThat(answer.getJsonObject("payload").getBoolean("rebooting")).isTrue();
            assertThat(answer.getJsonObject("payload").getInteger("delay")).isEqualTo(5);

            HttpResponse<String> sent = service.send("POST", "/devices/" + deviceId + "/messages/deviceBound", token,
                    "open valve", "iothub-messageid", "c2d-1", "iothub-correlationid", "corr-1", "iothub-app-valve", "open slowly");
            assertThat(sent.statusCode()).as(sent.body()).isBetween(200, 204);
            Message received = device.cloudToDevice().poll(15, TimeUnit.SECONDS);
            assertThat(received).as("cloud-to-device message").isNotNull();
            assertThat(new String(received.getBytes(), StandardCharsets.UTF_8)).isEqualTo("open valve");
            assertThat(received.getMessageId()).isEqualTo("c2d-1");
            assertThat(received.getCorrelationId()).isEqualTo("corr-1");
            assertThat(received.getProperty("valve")).isEqualTo("open slowly");

            JsonObject identity = new JsonObject(service.send("GET", "/devices/" + deviceId, token, null).body());
            assertThat(identity.getString("connectionState")).isEqualTo("Connected");
        }
    }

    private static void sendAndReceive(HubDevice device, TelemetryConsumer consumer, String deviceId) throws Exception {
        Message message = new Message("{\"temperature\":21.5}");
        message.setContentType("application/json");
        message.setContentEncoding("utf-8");
        message.setProperty("line", "a b+c");
        device.client().sendEvent(message);

        TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
        assertThat(received).as("telemetry at the consumer").isNotNull();
        assertThat(received.topic()).startsWith("devices/" + deviceId + "/messages/events/").contains("line=a%20b%2Bc");
        assertThat(received.body()).isEqualTo("{\"temperature\":21.5}");
    }

    private static TelemetryConsumer consumer(String hub) throws Exception {
        return TelemetryConsumer.subscribe(gateway, hub, hub.equals(HUB_A) ? OWNER_A : OWNER_B, "devices/+/messages/events/#");
    }
}
