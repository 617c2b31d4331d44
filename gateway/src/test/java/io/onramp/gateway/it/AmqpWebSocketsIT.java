package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.amqp.AmqpWebSockets;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.RawWebSockets;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPS over AMQP over WebSockets on port 443 (the SDKs' AMQPS_WS: subprotocol {@code AMQPWSB10}), with the official Java
 * provisioning SDK unmodified, served by the AMQP code of port 5671: SASL PLAIN with a SAS token (individual and
 * group-derived key), and a TLS client certificate without SASL. AMQP on 5671 goes on working beside it. Upgrades with
 * another subprotocol are refused; garbage closes one connection only.
 */
class AmqpWebSocketsIT {

    static final String ADDRESS = "127.0.0.24";
    static final String HUB = "127.0.0.25";
    static final String OWNER = "QW1xcFdzSHViT3duZXJLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String GROUP_KEY = "QW1xcFdzR3JvdXBLZXlGb3JUZXN0c09ubHkwMDAwMDA=";
    static final String DEVICE_KEY = "QW1xcFdzRGV2aWNlS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final CaMaterial X509_DEVICE = CertificateBuilder.selfSignedDevice("amqpws-x509-1").issue();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static RawWebSockets webSockets;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithAmqpOnStandardPorts(ADDRESS, dataDir, """
            hubs:
              - { name: amqpws-line, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: amqpws-sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            individualEnrollments:
              - registrationId: amqpws-press
                deviceId: amqpws-press-dev
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
              - registrationId: amqpws-x509-1
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(HUB, OWNER, GROUP_KEY, DEVICE_KEY, der(X509_DEVICE)));
        webSockets = new RawWebSockets(gateway);
    }

    @AfterAll
    static void stopGateway() throws Exception {
        webSockets.close();
        gateway.close();
    }

    @Test
    void individualSymmetricKeyDeviceProvisionsOverAmqpWebSockets() throws Exception {
        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqpWebSockets(gateway, "amqpws-press",
                DEVICE_KEY, "{\"modelId\":\"dtmi:test;1\"}");

        assertAssigned(result, "amqpws-press-dev");
    }

    @Test
    void groupDerivedKeyDeviceProvisionsOverAmqpWebSockets() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "amqpws-sensor-1");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqpWebSockets(gateway,
                "amqpws-sensor-1", key, null);

        assertAssigned(result, "amqpws-sensor-1");
    }

    @Test
    void x509DeviceProvisionsOverAmqpWebSocketsWithItsCertificate() throws Exception {
        X509Device device = new X509Device(List.of(X509_DEVICE.certificate()), X509_DEVICE.privateKey(), null);

        ProvisioningDeviceClientRegistrationResult result = X509Device.registerOverAmqpWebSockets(gateway, device);

        assertAssigned(result, "amqpws-x509-1");
    }

    @Test
    void theSameGatewayStillServesAmqpOnItsOwnPort() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "amqpws-sensor-2");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqp(gateway, "amqpws-sensor-2", key,
                null);

        assertAssigned(result, "amqpws-sensor-2");
    }

    @Test
    void anUpgradeWithAnUnknownSubprotocolIsRefusedWithBadRequest() {
        assertThatThrownBy(() -> open("AMQPWSB09"))
                .isInstanceOfSatisfying(UpgradeRejectedException.class, e -> assertThat(e.getStatus()).isEqualTo(400));
    }

    @Test
    void theFirstSubprotocolOfferedChoosesTheProtocol() throws Exception {
        // GIVEN a client that offers AMQP first, and MQTT after it
        WebSocket webSocket = webSockets.open(ADDRESS, "/$iothub/websocket", AmqpWebSockets.SUBPROTOCOL, "mqtt");
        CompletableFuture<Buffer> answer = new CompletableFuture<>();
        webSocket.binaryMessageHandler(answer::complete);

        // WHEN it sends the AMQP protocol header of a SASL layer
        webSocket.writeBinaryMessage(Buffer.buffer(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0}));

        // THEN the subprotocol echoed is AMQP's, and AMQP answers with its own header
        assertThat(webSocket.subProtocol()).isEqualTo(AmqpWebSockets.SUBPROTOCOL);
        assertThat(answer.get(10, TimeUnit.SECONDS).getBuffer(0, 8).getBytes())
                .isEqualTo(new byte[] {'A', 'M', 'Q', 'P', 3, 1, 0, 0});
        webSocket.close();
    }

    @Test
    void aPingIsAnsweredWithAPong() throws Exception {
        WebSocket webSocket = open(AmqpWebSockets.SUBPROTOCOL);
        CompletableFuture<Buffer> pong = new CompletableFuture<>();
        webSocket.pongHandler(pong::complete);

        webSocket.writePing(Buffer.buffer("are you there"));

        assertThat(pong.get(10, TimeUnit.SECONDS).toString(StandardCharsets.UTF_8)).isEqualTo("are you there");
        webSocket.close();
    }

    @Test
    void garbageInBinaryFramesClosesOnlyThatConnection() throws Exception {
        // GIVEN a WebSocket with the AMQP subprotocol
        WebSocket garbage = open(AmqpWebSockets.SUBPROTOCOL);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        garbage.closeHandler(v -> closed.complete(null));

        // WHEN it sends bytes that are no AMQP protocol header
        garbage.writeBinaryMessage(Buffer.buffer("GET / HTTP/1.1\r\n\r\n"));

        // THEN that one is closed, and the listener goes on serving AMQP over WebSockets
        assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "amqpws-sensor-3");
        assertAssigned(SdkDevice.registerOverAmqpWebSockets(gateway, "amqpws-sensor-3", key, null), "amqpws-sensor-3");
    }

    @Test
    void aTextFrameClosesTheConnection() throws Exception {
        WebSocket text = open(AmqpWebSockets.SUBPROTOCOL);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        text.closeHandler(v -> closed.complete(null));

        text.writeTextMessage("AMQP");

        assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
    }

    private static WebSocket open(String subprotocol) throws Exception {
        return webSockets.open(ADDRESS, "/$iothub/websocket", subprotocol);
    }

    private static void assertAssigned(ProvisioningDeviceClientRegistrationResult result, String deviceId) throws Exception {
        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
        assertThat(result.getDeviceId()).isEqualTo(deviceId);
        Optional<DeviceIdentity> identity = gateway.gateway().deviceRegistry().find(HUB, deviceId)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(identity).as("the device's identity at " + HUB).isPresent();
    }

    private static String der(CaMaterial material) throws Exception {
        return Base64.getEncoder().encodeToString(material.certificate().getEncoded());
    }
}
