package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.certs.tpm.SwtpmDevice;
import io.onramp.certs.tpm.TpmRegistrationIds;
import io.onramp.gateway.support.RawAmqp;
import io.onramp.gateway.support.Resources;
import io.onramp.gateway.support.SdkTpmProvider;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.engine.Sasl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Java SDK as a TPM device over AMQP (dps-device-protocol.md 8.4): the SASL mechanism {@code TPM}
 * carries the EK, the SRK, the challenge blob in its two parts and the token the SDK's TPM provider signed on a swtpm;
 * the register on that connection is answered {@code assigned} with the authentication key, which the SDK activates
 * again. Twice, as a device that reboots registers again, then over AMQP over WebSockets. A registration that is
 * not enrolled gets no blob.
 */
class AmqpTpmProvisioningIT {

    static final String ADDRESS = "127.0.0.218";
    static final String HUB = "127.0.0.219";
    static final String OWNER_KEY = "QW1xcFRwbUh1Yk93bmVyS2V5Rm9yVGVzdHNPbmx5MDA=";

    @TempDir
    static Path dir;
    static SwtpmDevice tpm;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        tpm = SwtpmDevice.start(Files.createDirectories(dir.resolve("tpm")), ADDRESS);
        gateway = TestGateway.startWithAmqpOnStandardPorts(ADDRESS, Files.createDirectories(dir.resolve("gateway")), """
                hubs: [ { name: amqp-tpm-line, hostName: %s, ownerKey: %s } ]
                individualEnrollments:
                  - attestation: { type: tpm, tpm: { endorsementKey: %s } }
                """.formatted(HUB, OWNER_KEY, tpm.endorsementKeyBase64()));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(gateway, tpm);
    }

    @Test
    void theSdkTpmProviderProvisionsOverAmqpWithTheTpmSaslMechanism() throws Exception {
        String id = TpmRegistrationIds.fromEndorsementKey(tpm.endorsementKey());
        SdkTpmProvider provider = SdkTpmProvider.connect(tpm, id, TestTls.trusting(gateway.caFile()));

        ProvisioningDeviceClientRegistrationResult result = register(provider);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
        assertThat(result.getDeviceId()).isEqualTo(id);
        Optional<DeviceIdentity> identity = gateway.gateway().deviceRegistry().find(HUB, id)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(identity).isPresent();

        provider.flushSessions();
        ProvisioningDeviceClientRegistrationResult again = register(provider);
        assertThat(again.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(again.getIothubUri()).isEqualTo(HUB);

        // The same SASL mechanism over AMQP over WebSockets (443), on this provider: swtpm serves one client at a time.
        provider.flushSessions();
        ProvisioningDeviceClientRegistrationResult overWebSockets = register(provider,
                ProvisioningDeviceClientTransportProtocol.AMQPS_WS);
        assertThat(overWebSockets.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(overWebSockets.getIothubUri()).isEqualTo(HUB);
    }

    @Test
    void aTpmInitForAnUnenrolledRegistrationEndsSaslWithOutcomeAuth() throws Exception {
        byte[] init = concat(new byte[] {0}, TestGateway.ID_SCOPE.getBytes(StandardCharsets.UTF_8), new byte[] {0},
                "amqp-tpm-unenrolled".getBytes(StandardCharsets.UTF_8), new byte[] {0}, tpm.endorsementKey());

        try (RawAmqp amqp = RawAmqp.connectSasl(gateway, TestTls.trusting(gateway.caFile()), "TPM", init)) {
            assertThat(amqp.challenge()).as("first challenge: a single 0x00").containsExactly(0);
            amqp.respond(concat(new byte[] {0}, tpm.storageRootKey()));

            assertThat(amqp.challenge()).as("no blob for a registration that is not enrolled").isNull();
            assertThat(amqp.saslOutcome()).isEqualTo(Sasl.SaslOutcome.PN_SASL_AUTH);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static ProvisioningDeviceClientRegistrationResult register(SdkTpmProvider provider) throws Exception {
        return register(provider, ProvisioningDeviceClientTransportProtocol.AMQPS);
    }

    /** AMQPS dials 5671, AMQPS_WS {@code wss://address:443/$iothub/websocket}. */
    private static ProvisioningDeviceClientRegistrationResult register(SdkTpmProvider provider,
            ProvisioningDeviceClientTransportProtocol protocol) throws Exception {
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(gateway.address(), TestGateway.ID_SCOPE,
                protocol, provider);
        try {
            return client.registerDeviceSync();
        } finally {
            client.close();
        }
    }
}
