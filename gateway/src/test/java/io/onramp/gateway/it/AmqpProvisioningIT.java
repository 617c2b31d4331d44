package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.X509Device;
import io.onramp.broker.registry.DeviceIdentity;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DPS over AMQP 1.0 with the official Java provisioning SDK, unmodified ({@code AMQPS}: TLS on 5671): SASL PLAIN with
 * a SAS token for symmetric-key devices (individual and group-derived key), no SASL layer and a TLS client certificate
 * for X.509 devices. Each then has its identity at the hub the enrollment allocates.
 */
class AmqpProvisioningIT {

    static final String ADDRESS = "127.0.0.218";
    static final String HUB = "127.0.0.219";
    static final String OWNER = "QW1xcEh1Yk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDA=";
    static final String GROUP_KEY = "QW1xcEdyb3VwS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String DEVICE_KEY = "QW1xcERldmljZUtleUZvclRlc3RzT25seTAwMDAwMDA=";
    static final PkiCatalogue PKI = PkiCatalogue.builder().deviceId("amqp-x509-unused").build();

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TestGateway.startWithAmqp(ADDRESS, dataDir, """
            hubs:
              - { name: amqp-line, hostName: %s, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: amqp-sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
              - enrollmentGroupId: amqp-x509
                attestation: { type: x509, x509: { signingCertificates: { primary: { certificate: "%s" } } } }
            individualEnrollments:
              - registrationId: amqp-press
                deviceId: amqp-press-dev
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY, der(PKI.certificate(Name.ROOT)), DEVICE_KEY));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void individualSymmetricKeyDeviceProvisionsOverAmqp() throws Exception {
        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqp(gateway, "amqp-press", DEVICE_KEY,
                "{\"modelId\":\"dtmi:test;1\"}");

        assertAssigned(result, "amqp-press-dev");
    }

    @Test
    void groupDerivedKeyDeviceProvisionsOverAmqp() throws Exception {
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "amqp-sensor-1");

        ProvisioningDeviceClientRegistrationResult result = SdkDevice.registerOverAmqp(gateway, "amqp-sensor-1", key, null);

        assertAssigned(result, "amqp-sensor-1");
    }

    @Test
    void x509GroupDeviceProvisionsOverAmqpWithoutSasl() throws Exception {
        CaMaterial leaf = CertificateBuilder.device("amqp-x509-1", PKI.material(Name.INTERMEDIATE)).issue();
        X509Device device = new X509Device(List.of(leaf.certificate(), PKI.certificate(Name.INTERMEDIATE)),
                leaf.privateKey(), null);

        ProvisioningDeviceClientRegistrationResult result = X509Device.registerOverAmqp(gateway, device);

        assertAssigned(result, "amqp-x509-1");
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

    private static String der(java.security.cert.X509Certificate certificate) throws Exception {
        return Base64.getEncoder().encodeToString(certificate.getEncoded());
    }
}
