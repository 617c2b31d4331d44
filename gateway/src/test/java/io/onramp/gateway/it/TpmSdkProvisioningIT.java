package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.Message;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClient;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientTransportProtocol;
import io.onramp.certs.tpm.SwtpmDevice;
import io.onramp.certs.tpm.TpmRegistrationIds;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.SdkTpmProvider;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.Resources;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Java SDK as a TPM device: its TPM provider (TSS.Java, on a swtpm over TCP) answers the challenge,
 * the provisioning client registers over HTTPS, and the device client signs its hub tokens in the TPM and sends
 * telemetry that a consumer receives. Only the provider's TPM connection is ours (see {@link SdkTpmProvider}).
 */
class TpmSdkProvisioningIT {

    static final String HUB = "127.0.0.129";
    static final String OWNER_KEY = "VHBtU2RrSHViT3duZXJLZXlGb3JUZXN0c09ubHkwMDA=";

    @TempDir
    static Path dir;
    static SwtpmDevice tpm;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        tpm = SwtpmDevice.start(Files.createDirectories(dir.resolve("tpm")));
        gateway = TestGateway.startWithMqtt("127.0.0.128", List.of(HUB), Files.createDirectories(dir.resolve("gateway")),
                """
                hubs: [ { name: line-s, hostName: %s, ownerKey: %s } ]
                individualEnrollments:
                  - attestation: { type: tpm, tpm: { endorsementKey: %s } }
                """.formatted(HUB, OWNER_KEY, tpm.endorsementKeyBase64()));
    }

    @AfterAll
    static void stop() throws Exception {
        Resources.closeAll(gateway, tpm);
    }

    @Test
    void theSdkTpmProviderProvisionsOverHttpsAndSendsTelemetrySignedInTheTpm() throws Exception {
        String id = TpmRegistrationIds.fromEndorsementKey(tpm.endorsementKey());
        SSLContext tls = TestTls.trusting(gateway.caFile());
        SdkTpmProvider provider = SdkTpmProvider.connect(tpm, id, tls);
        assertThat(provider.getEndorsementKey()).isEqualTo(tpm.endorsementKey());

        ProvisioningDeviceClientRegistrationResult result = register(provider);
        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(HUB);
        assertThat(result.getDeviceId()).isEqualTo(id);
        String hubKey = hubKey(id);

        // A reboot: the SDK registers again (a new challenge and final blob, activated again): the same hub and key
        provider.flushSessions();
        ProvisioningDeviceClientRegistrationResult again = register(provider);
        assertThat(again.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(again.getIothubUri()).isEqualTo(HUB);
        assertThat(hubKey(id)).as("the hub key after re-registration").isEqualTo(hubKey);

        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER_KEY, "devices/+/messages/events/#")) {
            DeviceClient device = new DeviceClient(result.getIothubUri(), result.getDeviceId(), provider,
                    IotHubClientProtocol.MQTT, ClientOptions.builder().sslContext(tls).build());
            try {
                device.open(true);
                // Throws unless the hub acknowledged it.
                device.sendEvent(new Message("{\"tpm\":\"sdk\"}".getBytes(StandardCharsets.UTF_8)));
            } finally {
                device.close();
            }
            TelemetryConsumer.Received received = consumer.messages().poll(10, TimeUnit.SECONDS);
            assertThat(received).as("telemetry at the consumer").isNotNull();
            assertThat(received.topic()).startsWith("devices/" + id + "/messages/events/");
            assertThat(received.body()).isEqualTo("{\"tpm\":\"sdk\"}");
        }
    }

    static ProvisioningDeviceClientRegistrationResult register(SdkTpmProvider provider) throws Exception {
        ProvisioningDeviceClient client = ProvisioningDeviceClient.create(gateway.endpoint(), TestGateway.ID_SCOPE,
                ProvisioningDeviceClientTransportProtocol.HTTPS, provider);
        try {
            return client.registerDeviceSync();
        } finally {
            client.close();
        }
    }

    static String hubKey(String id) throws Exception {
        RawHub hub = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        HttpResponse<String> response = hub.send("GET", "/devices/" + id, RawHub.token(HUB, OWNER_KEY, RawHub.OWNER), null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body()).getJsonObject("authentication").getJsonObject("symmetricKey")
                .getString("primaryKey");
    }
}
