package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.text.PercentCodec;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.RawMqtt;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * X.509 devices end to end with the official Java SDKs: the X.509 security provider provisions
 * over HTTPS and MQTT through an individual enrollment (the device's own certificate) and through
 * a group (leaf + intermediate, the group trusts the root); then {@code iot-device-client} connects
 * to the hub with the same certificate and no SAS token and sends telemetry. Every bad certificate
 * of the test PKI is refused.
 */
class X509DeviceFlowIT {

    static final String HUB = "127.0.0.41";
    static final String OWNER = "WDUwOUh1Yk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String BAD_ID = "x509-bad";

    /** Its device certificates all carry CN x509-bad; its root signs the enrollment group. */
    static final PkiCatalogue PKI = PkiCatalogue.builder().deviceId(BAD_ID).build();
    static final CaMaterial SOLO_HTTPS = CertificateBuilder.selfSignedDevice("x509-solo-https").issue();
    static final CaMaterial SOLO_MQTT = CertificateBuilder.selfSignedDevice("x509-solo-mqtt").issue();
    /** Attached to a second group by someone who may write groups: trusted as attached, proven by no one. */
    static final CaMaterial ROGUE_ROOT = CertificateBuilder.rootCa("Rogue Root").issue();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithMqtt("127.0.0.40", List.of(HUB), dataDir, """
            hubs:
              - { name: line-x, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: x509-line
                attestation: { type: x509, x509: { signingCertificates: { primary: { certificate: "%s" } } } }
              - enrollmentGroupId: rogue-attached
                attestation: { type: x509, x509: { signingCertificates: { primary: { certificate: "%s" } } } }
            individualEnrollments:
              - registrationId: x509-solo-https
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
              - registrationId: x509-solo-mqtt
                attestation: { type: x509, x509: { clientCertificates: { primary: { certificate: "%s" } } } }
            """.formatted(HUB, OWNER, der(PKI.certificate(Name.ROOT)), der(ROGUE_ROOT.certificate()), der(SOLO_HTTPS.certificate()),
                der(SOLO_MQTT.certificate())));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void individualDeviceProvisionsOverHttpsThenSendsTelemetryWithItsCertificate() throws Exception {
        provisionAndUseTheHub(new X509Device(List.of(SOLO_HTTPS.certificate()), SOLO_HTTPS.privateKey(), null), false,
                "selfSigned");
    }

    @Test
    void individualDeviceProvisionsOverMqttThenSendsTelemetryWithItsCertificate() throws Exception {
        provisionAndUseTheHub(new X509Device(List.of(SOLO_MQTT.certificate()), SOLO_MQTT.privateKey(), null), true,
                "selfSigned");
    }

    @Test
    void groupDeviceProvisionsOverHttpsThenSendsTelemetryWithItsCertificate() throws Exception {
        provisionAndUseTheHub(groupDevice("x509-group-https"), false, "certificateAuthority");
    }

    @Test
    void groupDeviceProvisionsOverMqttThenSendsTelemetryWithItsCertificate() throws Exception {
        provisionAndUseTheHub(groupDevice("x509-group-mqtt"), true, "certificateAuthority");
    }

    @ParameterizedTest
    @EnumSource(value = Name.class, names = {"EXPIRED", "NOT_YET_VALID", "OTHER_CA_LEAF", "WRONG_CN", "SELF_SIGNED",
        "UNPROVEN_CA_LEAF"})
    void badCertificateIsRefusedOverHttps(Name bad) {
        X509Device device = new X509Device(PKI.chain(bad), PKI.material(bad).privateKey(), BAD_ID);

        assertThatThrownBy(() -> X509Device.registerOverHttps(gateway, device)).isInstanceOf(Exception.class);
    }

    @ParameterizedTest
    @EnumSource(value = Name.class, names = {"EXPIRED", "OTHER_CA_LEAF", "WRONG_CN", "SELF_SIGNED"})
    void badCertificateIsRefusedOverMqtt(Name bad) {
        X509Device device = new X509Device(PKI.chain(bad), PKI.material(bad).privateKey(), BAD_ID);

        assertThatThrownBy(() -> X509Device.registerOverMqtt(gateway, device)).isInstanceOf(Exception.class);
    }

    @Test
    void theGoodLeafOfTheSameGroupIsAcceptedSoTheRefusalsAreAboutTheCertificates() throws Exception {
        X509Device device = new X509Device(PKI.chain(Name.LEAF), PKI.material(Name.LEAF).privateKey(), null);

        assertThat(X509Device.registerOverHttps(gateway, device).getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
    }

    @Test
    void anotherGroupsAttachedCertificateDoesNotVouchForADeviceAtTheHub() throws Exception {
        // GIVEN a device provisioned through x509-line, and a certificate with its CN made under another group's root
        X509Device victim = groupDevice("x509-victim");
        assertThat(X509Device.registerOverHttps(gateway, victim).getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        CaMaterial forged = CertificateBuilder.device("x509-victim", ROGUE_ROOT).issue();
        X509Device impostor = new X509Device(List.of(forged.certificate(), ROGUE_ROOT.certificate()), forged.privateKey(), null);

        // WHEN the forged certificate connects to the hub as that device
        try (RawMqtt hub = RawMqtt.open(impostor.sslContext(gateway), HUB)) {
            MqttConnectReturnCode answer = hub.connect("x509-victim", RawMqtt.deviceUser(HUB, "x509-victim"), null, 60);

            // THEN it is refused: only x509-line's anchors vouch for x509-line's devices
            assertThat(answer).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        // AND the device's own certificate still connects
        try (RawMqtt hub = RawMqtt.open(victim.sslContext(gateway), HUB)) {
            assertThat(hub.connect("x509-victim", RawMqtt.deviceUser(HUB, "x509-victim"), null, 60))
                    .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
        }
    }

    private static X509Device groupDevice(String registrationId) {
        CaMaterial leaf = CertificateBuilder.device(registrationId, PKI.material(Name.INTERMEDIATE)).issue();
        return new X509Device(List.of(leaf.certificate(), PKI.certificate(Name.INTERMEDIATE)), leaf.privateKey(), null);
    }

    private static void provisionAndUseTheHub(X509Device device, boolean mqtt, String expectedAuthType) throws Exception {
        ProvisioningDeviceClientRegistrationResult result = mqtt
                ? X509Device.registerOverMqtt(gateway, device) : X509Device.registerOverHttps(gateway, device);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
        String deviceId = result.getDeviceId();
        assertThat(deviceId).isEqualTo(device.chain().get(0).getSubjectX500Principal().getName().substring(3));
        RawHub service = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        String token = RawHub.token(HUB, OWNER, RawHub.OWNER);
        JsonObject identity = new JsonObject(service.send("GET", "/devices/" + deviceId, token, null).body());
        assertThat(identity.getJsonObject("authentication").getString("type")).isEqualTo(expectedAuthType);

        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/+/messages/events/#")) {
            DeviceClient client = device.connectToHub(gateway, HUB, deviceId);
            try {
                client.sendEvent(new Message("{\"pressure\":3.2}"));
                TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
                assertThat(received).as("telemetry at the consumer").isNotNull();
                assertThat(received.topic()).startsWith("devices/" + deviceId + "/messages/events/");
                assertThat(PercentCodec.decode(received.topic())).as("stamped as X.509 by the hub")
                        .contains("iothub-connection-auth-method={\"scope\":\"device\",\"type\":\"x509Certificate\",");
                assertThat(received.body()).isEqualTo("{\"pressure\":3.2}");
            } finally {
                client.close();
            }
        }
    }

    private static String der(java.security.cert.X509Certificate certificate) throws Exception {
        return Base64.getEncoder().encodeToString(certificate.getEncoded());
    }
}
