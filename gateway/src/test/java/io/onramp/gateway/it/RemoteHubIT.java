package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.broker.registry.TwinMode;
import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.GatewayConfig.RemoteHub;
import io.onramp.gateway.hub.RemoteHubClient;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real gateways: the DPS of one assigns devices to a hub hosted by the other, which it knows
 * only by connection string, and registers them there through the hub registry REST API.
 */
class RemoteHubIT {

    static final String DPS = "127.0.0.20";
    static final String HUB = "127.0.0.21";
    static final String OWNER_KEY = "SHViQk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String PRESS_KEY = "UHJlc3NLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDAwMA==";
    static final String OTHER_KEY = "T3RoZXJLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";

    @TempDir
    static Path hubDir;
    @TempDir
    static Path dpsDir;
    static TestGateway hubGateway;
    static TestGateway dpsGateway;
    static RawDps dps;

    @BeforeAll
    static void start() {
        // the hub's gateway listens on 443, where a connection string's HostName leads
        hubGateway = TestGateway.startOnStandardHttps(HUB, hubDir, """
            hubs: [ { name: far, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, OWNER_KEY));
        dpsGateway = TestGateway.start(DPS, dpsDir, """
            hubs:
              - name: far
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
                initialTwin: { tags: { site: plant-9 }, properties: { desired: { interval: 30 } } }
            individualEnrollments:
              - registrationId: far-press-7
                deviceId: "far#press?7"
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
                initialTwin: { tags: { site: plant-9 } }
            """.formatted(HUB, OWNER_KEY, hubGateway.caFile(), GROUP_KEY, HUB, PRESS_KEY, HUB));
        dps = new RawDps(dpsGateway);
    }

    @AfterAll
    static void stop() {
        dpsGateway.close();
        hubGateway.close();
    }

    @Test
    void aDeviceProvisionedByOneGatewayIsRegisteredAtTheOthersHub() throws Exception {
        String id = "far-sensor-1";
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, id);

        JsonObject result = dps.registerAndPoll(id, RawDps.token(id, key));

        assertThat(result.getString("status")).as(result.encode()).isEqualTo("assigned");
        assertThat(result.getJsonObject("registrationState").getString("assignedHub")).isEqualTo(HUB);
        DeviceIdentity identity = hubGateway.gateway().deviceRegistry().find(HUB, id).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(identity.primaryKey()).isEqualTo(key);
        DeviceTwin twin = hubGateway.gateway().deviceRegistry().twin(HUB, id).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(twin.tags()).isEqualTo(Map.of("site", "plant-9"));
        assertThat(twin.desired()).isEqualTo(Map.of("interval", 30));
        assertThat(dpsGateway.gateway().deviceRegistry().find(HUB, id).toCompletionStage().toCompletableFuture().get())
                .as("nothing is stored at the DPS's own registry").isEmpty();

        // registering again refreshes the identity in place: same generation, twin kept
        JsonObject again = dps.registerAndPoll(id, RawDps.token(id, key));
        assertThat(again.getString("status")).isEqualTo("assigned");
        DeviceIdentity refreshed = hubGateway.gateway().deviceRegistry().find(HUB, id).toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(refreshed.generationId()).isEqualTo(identity.generationId());
        assertThat(refreshed.etag()).isNotEqualTo(identity.etag());
    }

    @Test
    void aDeviceIdThatIsNoUrlPathSegmentReachesTheOtherHubWhole() throws Exception {
        JsonObject result = dps.registerAndPoll("far-press-7", RawDps.token("far-press-7", PRESS_KEY));

        assertThat(result.getString("status")).as(result.encode()).isEqualTo("assigned");
        assertThat(result.getJsonObject("registrationState").getString("deviceId")).isEqualTo("far#press?7");
        DeviceTwin twin = hubGateway.gateway().deviceRegistry().twin(HUB, "far#press?7").toCompletionStage()
                .toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(twin.tags()).isEqualTo(Map.of("site", "plant-9"));
    }

    @Test
    void theTokenCommandSignsALinkedHubsTokensWithItsConnectionString() throws Exception {
        dps.registerAndPoll("far-token-1", RawDps.token("far-token-1", SymmetricKeys.deriveDeviceKey(GROUP_KEY, "far-token-1")));
        Path config = dpsGateway.writeConfigFile();
        CommandLine onramp = new CommandLine(config);
        RawHub hub = new RawHub(HUB + ":" + TestGateway.STANDARD_HTTPS_PORT, hubGateway.caFile());

        String serviceToken = onramp.run(0, "token", "--hub", "far").trim();
        String deviceToken = onramp.run(0, "token", "--hub", HUB, "--device-id", "far-token-1").trim();

        assertThat(serviceToken).endsWith("&skn=iothubowner");
        assertThat(hub.send("GET", "/devices/far-token-1", serviceToken, null).statusCode()).isEqualTo(200);
        assertThat(deviceToken).startsWith("SharedAccessSignature sr=" + HUB + "%2Fdevices%2Ffar-token-1&");
        // signed with the device's key as the linked hub holds it (this hub gateway has no MQTT listener to try it on)
        SasToken parsed = SasToken.parse(deviceToken);
        assertThat(parsed.decodedResource()).isEqualTo(HUB + "/devices/far-token-1");
        assertThat(new SasTokenVerifier(Clock.systemUTC(), java.time.Duration.ofMinutes(5)).verify(parsed,
                java.util.List.of(SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(GROUP_KEY, "far-token-1")))))
                .isEqualTo(SasTokenVerifier.Verdict.VALID);
    }

    @Test
    void aHubRefusesAConnectionStringWithTheWrongKey() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            RemoteHubClient client = RemoteHubClient.connect(vertx, Clock.systemUTC(), RemoteHub.parse(
                    "HostName=" + HUB + ";SharedAccessKeyName=iothubowner;SharedAccessKey=" + OTHER_KEY, hubGateway.caFile()));
            DeviceProvisioning request = new DeviceProvisioning(HUB, "lost-1", AuthType.SAS, GROUP_KEY, null, false,
                    Map.of(), Map.of(), TwinMode.KEEP);

            assertThatThrownBy(() -> client.provision(request).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS))
                    .cause().isInstanceOfSatisfying(HubException.class, e -> {
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.errorCode()).isEqualTo("IotHubUnauthorizedAccess");
                    });
            assertThat(hubGateway.gateway().deviceRegistry().find(HUB, "lost-1").toCompletionStage().toCompletableFuture().get())
                    .isEmpty();
        } finally {
            vertx.close();
        }
    }
}
