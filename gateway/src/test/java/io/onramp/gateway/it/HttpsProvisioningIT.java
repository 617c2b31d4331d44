package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientRegistrationResult;
import com.microsoft.azure.sdk.iot.provisioning.device.ProvisioningDeviceClientStatus;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.SdkDevice;
import io.onramp.gateway.support.TestGateway;
import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.AllocationRequest;
import io.onramp.policy.allocation.HashedAllocation;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Java provisioning SDK registers over HTTPS against a real gateway. */
class HttpsProvisioningIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String GROUP_SECONDARY = "U2Vjb25kYXJ5R3JvdXBLZXlGb3JUZXN0czAwMDAwMDA=";
    static final String DEVICE_KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final List<HubDescriptor> HUBS = List.of(
            new HubDescriptor("line-a", "127.0.0.2", 1, true), new HubDescriptor("line-b", "127.0.0.3", 3, true));

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = TestGateway.start("127.0.0.10", dataDir, """
            hubs:
              - { name: line-a, hostName: 127.0.0.2, weight: 1, ownerKey: SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
              - { name: line-b, hostName: 127.0.0.3, weight: 3, ownerKey: SHViQk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s, secondaryKey: %s } }
                initialTwin: { tags: { site: plant-1 }, properties: { desired: { interval: 30 } } }
            individualEnrollments:
              - registrationId: press-7
                deviceId: press-7-dev
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(GROUP_KEY, GROUP_SECONDARY, DEVICE_KEY));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @Test
    void individualEnrollmentProvisionsWithTheSdk() throws Exception {
        // WHEN the device registers with its individual key and a payload (Java sends it as a string)
        ProvisioningDeviceClientRegistrationResult result =
                SdkDevice.registerOverHttps(gateway, "press-7", DEVICE_KEY, "{\"modelId\":\"dtmi:test;1\"}");

        // THEN it is assigned to the hub the hashed policy picks, under the enrollment's device ID
        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getIothubUri()).isEqualTo(expectedHub("press-7"));
        assertThat(result.getDeviceId()).isEqualTo("press-7-dev");
        assertThat(new JsonObject(result.getProvisioningPayload()).getString("modelId")).isEqualTo("dtmi:test;1");
        // AND the hub knows the device with the key it proved
        DeviceIdentity identity = identity(result.getIothubUri(), "press-7-dev");
        assertThat(identity.authType()).isEqualTo(AuthType.SAS);
        assertThat(identity.primaryKey()).isEqualTo(DEVICE_KEY);
    }

    @Test
    void groupDeviceProvisionsWithItsDerivedKey() throws Exception {
        String derived = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "sensor-0042");

        ProvisioningDeviceClientRegistrationResult result =
                SdkDevice.registerOverHttps(gateway, "sensor-0042", derived, null);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
        assertThat(result.getDeviceId()).isEqualTo("sensor-0042");
        assertThat(result.getIothubUri()).isEqualTo(expectedHub("sensor-0042"));
        DeviceIdentity identity = identity(result.getIothubUri(), "sensor-0042");
        assertThat(identity.primaryKey()).isEqualTo(derived);
        assertThat(identity.secondaryKey()).isEqualTo(SymmetricKeys.deriveDeviceKey(GROUP_SECONDARY, "sensor-0042"));
        // AND its twin starts as the group's initial twin
        DeviceTwin twin = gateway.gateway().deviceRegistry().twin(result.getIothubUri(), "sensor-0042")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).orElseThrow();
        assertThat(twin.tags()).containsEntry("site", "plant-1");
        assertThat(twin.desired()).containsEntry("interval", 30);
        assertThat(twin.desiredVersion()).isEqualTo(1);
        assertThat(twin.reported()).isEmpty();
    }

    @Test
    void aDeviceSigningWithTheSecondaryDerivedKeyIsAccepted() throws Exception {
        String secondary = SymmetricKeys.deriveDeviceKey(GROUP_SECONDARY, "sensor-0043");

        ProvisioningDeviceClientRegistrationResult result =
                SdkDevice.registerOverHttps(gateway, "sensor-0043", secondary, null);

        assertThat(result.getProvisioningDeviceClientStatus())
                .isEqualTo(ProvisioningDeviceClientStatus.PROVISIONING_DEVICE_STATUS_ASSIGNED);
    }

    @Test
    void aRegisteredDeviceKeepsItsHubAndStateAcrossARestart() throws Exception {
        String id = "restart-dev-1";
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, id);
        ProvisioningDeviceClientRegistrationResult first = SdkDevice.registerOverHttps(gateway, id, key, null);
        JsonObject stateBefore = registrationState(id, key);

        gateway.restart();

        assertThat(registrationState(id, key)).isEqualTo(stateBefore);
        ProvisioningDeviceClientRegistrationResult again = SdkDevice.registerOverHttps(gateway, id, key, null);
        assertThat(again.getIothubUri()).isEqualTo(first.getIothubUri());
        assertThat(again.getDeviceId()).isEqualTo(first.getDeviceId());
        assertThat(again.getCreatedDateTimeUtc()).isEqualTo(first.getCreatedDateTimeUtc());
        assertThat(identity(again.getIothubUri(), id).generationId())
                .isEqualTo(identity(first.getIothubUri(), id).generationId());
    }

    @Test
    void anOperationStaysPollableAcrossARestartUntilTheDeviceRegistersAgain() throws Exception {
        String id = "restart-poll-1";
        String token = RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
        RawDps dps = new RawDps(gateway);
        String first = registered(dps, id, token);
        JsonObject answered = dps.poll(id, first, token);

        gateway.restart();

        // THEN the operation answers as it did, from the record it wrote, to the device and to no one else
        assertThat(dps.poll(id, first, token)).isEqualTo(answered);
        assertThat(dps.send("GET", pollPath(id, first), RawDps.token(id, DEVICE_KEY), null).statusCode()).isEqualTo(401);
        // AND once the device has registered again, its new operation is the one kept
        String second = registered(dps, id, token);
        JsonObject again = dps.poll(id, second, token);
        gateway.restart();
        HttpResponse<String> old = dps.send("GET", pollPath(id, first), token, null);
        assertThat(old.statusCode()).as(old.body()).isEqualTo(404);
        assertThat(new JsonObject(old.body()).getString("message")).isEqualTo("Operation not found.");
        assertThat(dps.poll(id, second, token)).isEqualTo(again);
    }

    private static String registered(RawDps dps, String id, String token) throws Exception {
        HttpResponse<String> accepted = dps.register("/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?"
                + RawDps.API, token, new JsonObject().put("registrationId", id).encode());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return new JsonObject(accepted.body()).getString("operationId");
    }

    private static String pollPath(String id, String operationId) {
        return "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/operations/" + operationId + "?" + RawDps.API;
    }

    @Test
    void manyDevicesSpreadOverWeightedHubsAsThePolicySays() throws Exception {
        int devices = 120;
        ExecutorService pool = Executors.newFixedThreadPool(30);
        Map<String, Integer> perHub = new ConcurrentHashMap<>();
        try {
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < devices; i++) {
                String id = "spread-" + i;
                futures.add(pool.submit(() -> {
                    ProvisioningDeviceClientRegistrationResult r =
                            SdkDevice.registerOverHttps(gateway, id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id), null);
                    assertThat(r.getIothubUri()).as(id).isEqualTo(expectedHub(id));
                    perHub.merge(r.getIothubUri(), 1, Integer::sum);
                    return r.getIothubUri();
                }));
            }
            for (Future<String> future : futures) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // Weights 1:3 over 120 devices: 30 and 90 expected; allow for the spread of a hash.
        assertThat(perHub.get("127.0.0.2")).isBetween(15, 45);
        assertThat(perHub.get("127.0.0.3")).isBetween(75, 105);
        // AND the hub registry's live counts agree with the device registry
        Map<String, Long> stored = gateway.gateway().deviceRegistry().countByHub()
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(gateway.gateway().hubRegistry().deviceCounts()).isEqualTo(stored);
    }

    private static String expectedHub(String registrationId) {
        AllocationDecision decision = new HashedAllocation()
                .allocate(new AllocationRequest(registrationId, HUBS, List.of(), null));
        return ((AllocationDecision.Assigned) decision).hub().hostName();
    }

    private static DeviceIdentity identity(String hub, String deviceId) throws Exception {
        Optional<DeviceIdentity> identity = gateway.gateway().deviceRegistry().find(hub, deviceId)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(identity).as("identity of " + deviceId + " at " + hub).isPresent();
        return identity.get();
    }

    private static JsonObject registrationState(String id, String key) throws Exception {
        HttpResponse<String> response = new RawDps(gateway).send("POST",
                "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "?" + RawDps.API, RawDps.token(id, key),
                new JsonObject().put("registrationId", id).encode());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonObject(response.body());
    }
}
