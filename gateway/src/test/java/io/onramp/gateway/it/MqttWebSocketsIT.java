package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.device.twin.Twin;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.HubDevice;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.RawWebSockets;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MQTT over WebSockets on port 443 (the SDKs' MQTT_WS transports), with the official Java SDKs unmodified:
 * provisioning over {@code wss://{endpoint}:443}, then {@code iot-device-client} on the assigned hub over
 * {@code wss://{hub}:443/$iothub/websocket}, with a symmetric key and with an X.509 certificate shown in
 * the HTTPS listener's TLS handshake. Upgrades that are not MQTT are refused; garbage closes one connection.
 */
class MqttWebSocketsIT {

    static final String GROUP_KEY = "V2ViU29ja2V0R3JvdXBLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String HUB_A = "127.0.0.232";
    static final String HUB_B = "127.0.0.233";
    static final String OWNER_A = "V2ViU29ja2V0SHViQU93bmVyS2V5Rm9yVGVzdHMwMDA=";
    static final String OWNER_B = "V2ViU29ja2V0SHViQk93bmVyS2V5Rm9yVGVzdHMwMDA=";
    static final CaMaterial X509_DEVICE = CertificateBuilder.selfSignedDevice("ws-x509-1").issue();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawWebSockets webSockets;

    @BeforeAll
    static void startGateway() throws Exception {
        // The SDKs dial 443 whatever the endpoint says: HTTPS on the standard port, on the DPS and the hub addresses.
        gateway = TestGateway.startOnStandardPorts("127.0.0.231", List.of(HUB_A, HUB_B), dataDir, """
            hubs:
              - { name: ws-a, hostName: %s, ownerKey: %s }
              - { name: ws-b, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: ws-sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                initialTwin: { properties: { desired: { interval: 30 } } }
            individualEnrollments:
              - registrationId: ws-x509-1
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(HUB_A, OWNER_A, HUB_B, OWNER_B, GROUP_KEY, der(X509_DEVICE)));
        webSockets = new RawWebSockets(gateway);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        webSockets.close();
        gateway.close();
    }

    @Test
    void symmetricKeyDeviceProvisionsOverWebSocketsThenSendsTelemetryAndReadsItsTwin() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "ws-sensor-1");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverMqttWebSockets(gateway, "ws-sensor-1",
                key, null);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isIn(HUB_A, HUB_B);
        String hub = result.getIothubUri();
        try (TelemetryConsumer consumer = consumer(hub);
                HubDevice device = HubDevice.connect(gateway, hub, "ws-sensor-1", key, IotHubClientProtocol.MQTT_WS)) {
            sendAndReceive(device.client(), consumer, "ws-sensor-1");

            // Paho sends a packet in one frame: a message near IoT Hub's 256 KiB limit is a frame of that size.
            String large = "x".repeat(250 * 1024);
            device.client().sendEvent(new Message(large));
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).as("250 KiB of telemetry at the consumer").isNotNull();
            assertThat(received.body()).isEqualTo(large);

            device.client().subscribeToDesiredProperties((update, context) -> { }, null);
            Twin twin = device.twin();
            assertThat(((Number) twin.getDesiredProperties().get("interval")).intValue()).isEqualTo(30);
        }
    }

    @Test
    void x509DeviceProvisionsAndConnectsOverWebSocketsWithItsCertificate() throws Exception {
        X509Device device = new X509Device(List.of(X509_DEVICE.certificate()), X509_DEVICE.privateKey(), null);

        ProvisioningDeviceClientRegistrationResult result = X509Device.registerOverMqttWebSockets(gateway, device);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getDeviceId()).isEqualTo("ws-x509-1");
        String hub = result.getIothubUri();
        DeviceClient client = device.connectToHub(gateway, hub, "ws-x509-1", IotHubClientProtocol.MQTT_WS);
        try (TelemetryConsumer consumer = consumer(hub)) {
            sendAndReceive(client, consumer, "ws-x509-1");
        } finally {
            client.close();
        }
    }

    @Test
    void anUpgradeOnAnotherPathIsRefusedWithNotFound() {
        assertThatThrownBy(() -> open(HUB_A, "/other", "mqtt"))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(404));
    }

    @Test
    void anUpgradeWithoutTheMqttSubprotocolIsRefusedWithBadRequest() {
        assertThatThrownBy(() -> open(HUB_A, "/$iothub/websocket", null))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
        assertThatThrownBy(() -> open(HUB_A, "/$iothub/websocket", "wamp"))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
    }

    @Test
    void garbageInBinaryFramesClosesOnlyThatConnection() throws Exception {
        // GIVEN a device connected to its hub over WebSockets
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "ws-sensor-2");
        String hub = SdkDevice.registerOverHttps(gateway, "ws-sensor-2", key, null).getIothubUri();
        try (TelemetryConsumer consumer = consumer(hub);
                HubDevice device = HubDevice.connect(gateway, hub, "ws-sensor-2", key, IotHubClientProtocol.MQTT_WS)) {

            // WHEN another WebSocket on the same listener sends bytes that are no MQTT packet
            WebSocket garbage = open(hub, "/$iothub/websocket", "mqtt");
            CompletableFuture<Void> closed = new CompletableFuture<>();
            garbage.closeHandler(v -> closed.complete(null));
            garbage.writeBinaryMessage(Buffer.buffer(new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}));

            // THEN that one is closed, and the device goes on
            assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
            sendAndReceive(device.client(), consumer, "ws-sensor-2");
        }
    }

    private static WebSocket open(String host, String path, String subprotocol) throws Exception {
        return subprotocol == null ? webSockets.open(host, path) : webSockets.open(host, path, subprotocol);
    }

    private static void sendAndReceive(DeviceClient device, TelemetryConsumer consumer, String deviceId) throws Exception {
        device.sendEvent(new Message("{\"temperature\":21.5}"));

        TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
        assertThat(received).as("telemetry at the consumer").isNotNull();
        assertThat(received.topic()).startsWith("devices/" + deviceId + "/messages/events/");
        assertThat(received.body()).isEqualTo("{\"temperature\":21.5}");
    }

    private static TelemetryConsumer consumer(String hub) throws Exception {
        return TelemetryConsumer.subscribe(gateway, hub, hub.equals(HUB_A) ? OWNER_A : OWNER_B, "devices/+/messages/events/#");
    }

    private static String der(CaMaterial material) throws Exception {
        return Base64.getEncoder().encodeToString(material.certificate().getEncoded());
    }
}
