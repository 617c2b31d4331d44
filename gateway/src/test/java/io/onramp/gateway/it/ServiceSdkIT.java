package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.sdk.iot.service.exceptions.IotHubConflictException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubNotFoundException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubPreconditionFailedException;
import com.microsoft.azure.sdk.iot.service.exceptions.IotHubUnauthorizedException;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodRequestOptions;
import com.microsoft.azure.sdk.iot.service.methods.DirectMethodsClient;
import com.microsoft.azure.sdk.iot.service.query.QueryPageOptions;
import com.microsoft.azure.sdk.iot.service.query.TwinQueryResponse;
import com.microsoft.azure.sdk.iot.service.registry.Device;
import com.microsoft.azure.sdk.iot.service.registry.DeviceConnectionState;
import com.microsoft.azure.sdk.iot.service.registry.DeviceStatus;
import com.microsoft.azure.sdk.iot.service.registry.RegistryClient;
import com.microsoft.azure.sdk.iot.service.twin.Twin;
import com.microsoft.azure.sdk.iot.service.twin.TwinClient;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official IoT Hub service SDK for Java (iot-service-client 2.1.9), unmodified, against a hub
 * hosted here: its connection string names the hub, and it dials HTTPS on 443 as it does in Azure.
 */
class ServiceSdkIT {

    static final String HUB = "127.0.0.23";
    static final String OWNER_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String CONNECTION_STRING = "HostName=" + HUB + ";SharedAccessKeyName=iothubowner;SharedAccessKey=" + OWNER_KEY;

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static SSLSocketFactory defaultTls;
    static RegistryClient registry;
    static TwinClient twins;

    @BeforeAll
    static void start() {
        gateway = TestGateway.startOnStandardHttps(HUB, dataDir, """
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, OWNER_KEY));
        // The SDK uses HttpsURLConnection with the JVM's default TLS settings: trust the gateway's CA there.
        defaultTls = HttpsURLConnection.getDefaultSSLSocketFactory();
        HttpsURLConnection.setDefaultSSLSocketFactory(TestTls.trusting(gateway.caFile()).getSocketFactory());
        registry = new RegistryClient(CONNECTION_STRING);
        twins = new TwinClient(CONNECTION_STRING);
    }

    @AfterAll
    static void stop() {
        HttpsURLConnection.setDefaultSSLSocketFactory(defaultTls);
        gateway.close();
    }

    @Test
    void registryClientCreatesReadsUpdatesAndRemovesADevice() throws Exception {
        Device added = registry.addDevice(new Device("sdk-pump-1"));

        assertThat(added.getGenerationId()).isNotBlank();
        assertThat(added.getPrimaryKey()).isNotBlank();
        assertThat(added.getStatus()).isEqualTo(DeviceStatus.Enabled);
        assertThat(added.getConnectionState()).isEqualTo(DeviceConnectionState.Disconnected);
        assertThatThrownBy(() -> registry.addDevice(new Device("sdk-pump-1"))).isInstanceOf(IotHubConflictException.class);

        Device read = registry.getDevice("sdk-pump-1");
        assertThat(read.getETag()).isEqualTo(added.getETag());
        assertThat(read.getPrimaryKey()).isEqualTo(added.getPrimaryKey());

        read.setStatus(DeviceStatus.Disabled);
        Device disabled = registry.updateDevice(read);
        assertThat(disabled.getStatus()).isEqualTo(DeviceStatus.Disabled);
        assertThat(disabled.getETag()).isNotEqualTo(read.getETag());

        // removing with the stale etag is refused; with the current one it works
        assertThatThrownBy(() -> registry.removeDevice(read)).isInstanceOf(IotHubPreconditionFailedException.class);
        registry.removeDevice(disabled);
        assertThatThrownBy(() -> registry.getDevice("sdk-pump-1")).isInstanceOf(IotHubNotFoundException.class);
    }

    @Test
    void twinClientPatchesAndReplacesAndTheDeviceSeesDesired() throws Exception {
        registry.addDevice(new Device("sdk-pump-2"));
        Twin twin = twins.get("sdk-pump-2");
        assertThat(twin.getETag()).isEqualTo("AAAAAAAAAAE=");
        assertThat(twin.getDesiredProperties().getVersion()).isEqualTo(1);

        twin.getTags().put("site", "north");
        twin.getDesiredProperties().put("setpoint", 21);
        Twin patched = twins.patch(twin, twin.getETag());

        assertThat(patched.getVersion()).isEqualTo(2);
        assertThat(patched.getTags()).containsEntry("site", "north");
        assertThat(patched.getDesiredProperties()).containsEntry("setpoint", 21L);
        assertThat(patched.getDesiredProperties().getVersion()).isEqualTo(2);
        assertThat(patched.getDesiredProperties().getTwinMetadata("setpoint").getLastUpdatedVersion()).isEqualTo(2);
        assertThat(patched.getDesiredProperties().getTwinMetadata().getLastUpdated()).isNotNull();
        assertThatThrownBy(() -> twins.patch(twin, "\"AAAAAAAAAAE=\"")).isInstanceOf(IotHubPreconditionFailedException.class);

        Twin replacement = twins.get("sdk-pump-2");
        replacement.getTags().clear();
        replacement.getDesiredProperties().clear();
        replacement.getDesiredProperties().put("mode", "eco");
        Twin replaced = twins.replace(replacement);

        assertThat(replaced.getTags()).isEmpty();
        assertThat(replaced.getDesiredProperties()).containsOnlyKeys("mode");
        DeviceTwin stored = gateway.gateway().deviceRegistry().twin(HUB, "sdk-pump-2")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(stored.desired()).isEqualTo(Map.of("mode", "eco"));
        assertThat(stored.desiredVersion()).isEqualTo(3);
    }

    @Test
    void twinQueriesPageThroughEveryDevice() throws Exception {
        for (int i = 0; i < 5; i++) {
            registry.addDevice(new Device("sdk-q-" + i));
        }
        List<String> seen = new ArrayList<>();
        TwinQueryResponse response = twins.query("SELECT * FROM devices", QueryPageOptions.builder().pageSize(2).build());
        while (response.hasNext()) {
            seen.add(response.next(QueryPageOptions.builder().pageSize(2).build()).getDeviceId());
        }
        assertThat(seen).contains("sdk-q-0", "sdk-q-1", "sdk-q-2", "sdk-q-3", "sdk-q-4").doesNotHaveDuplicates();
    }

    @Test
    void aMethodOnAnOfflineDeviceAndAnUnknownDeviceAreNotFound() throws Exception {
        registry.addDevice(new Device("sdk-pump-3"));
        DirectMethodsClient methods = new DirectMethodsClient(CONNECTION_STRING);
        DirectMethodRequestOptions options = DirectMethodRequestOptions.builder()
                .methodResponseTimeoutSeconds(5).methodConnectTimeoutSeconds(0).build();

        assertThatThrownBy(() -> methods.invoke("sdk-pump-3", "reboot", options)).isInstanceOf(IotHubNotFoundException.class);
        assertThatThrownBy(() -> twins.get("sdk-nobody")).isInstanceOf(IotHubNotFoundException.class);
    }

    @Test
    void aWrongKeyIsUnauthorized() {
        RegistryClient intruder = new RegistryClient(
                "HostName=" + HUB + ";SharedAccessKeyName=iothubowner;SharedAccessKey=T3RoZXJLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=");
        assertThatThrownBy(() -> intruder.getDevice("sdk-pump-1")).isInstanceOf(IotHubUnauthorizedException.class);
    }
}
