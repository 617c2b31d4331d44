package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.registry.DeviceTwin;
import io.onramp.broker.registry.TwinMode;
import io.onramp.broker.twin.TwinUpdate;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-provisioning to another hub (dps-service-api 13.2) between a hub the DPS gateway hosts ({@link #NEAR}) and
 * one a second real gateway hosts ({@link #FAR}): the device's twin and capabilities follow it when the policy
 * migrates, the enrollment's initial twin when it resets, and its identity at the old hub is deleted.
 */
class ReprovisionIT {

    static final String DPS = "127.0.0.242";
    static final String NEAR = "127.0.0.243";
    static final String FAR = "127.0.0.244";
    static final String OWNER_KEY = RemoteHubIT.OWNER_KEY;
    static final String DEVICE_KEY = RemoteHubIT.PRESS_KEY;

    @TempDir
    static Path farDir;
    @TempDir
    static Path dpsDir;
    static TestGateway farGateway;
    static TestGateway dpsGateway;
    static RawDps dps;
    static AdminApi admin;

    @BeforeAll
    static void start() {
        farGateway = TestGateway.startOnStandardHttps(FAR, farDir, """
            hubs: [ { name: far, hostName: %s, ownerKey: %s } ]
            """.formatted(FAR, OWNER_KEY));
        dpsGateway = TestGateway.start(DPS, dpsDir, """
            hubs:
              - { name: near, hostName: %s, ownerKey: %s }
              - name: far
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            """.formatted(NEAR, OWNER_KEY, FAR, OWNER_KEY, farGateway.caFile(), OWNER_KEY));
        dps = new RawDps(dpsGateway);
        admin = new AdminApi(dpsGateway, "provisioningserviceowner", OWNER_KEY);
    }

    @AfterAll
    static void stop() {
        dpsGateway.close();
        farGateway.close();
    }

    @Test
    void aMigratingDeviceTakesItsTwinAndCapabilitiesToTheNewHubBothWaysAndLeavesNoIdentityBehind() throws Exception {
        String id = "mover-1";
        enroll(id, NEAR, true, false);
        assertThat(register(id).getString("substatus")).isEqualTo("initialAssignment");
        await(near().patchTwin(NEAR, id, new TwinUpdate(new JsonObject().put("site", "moved"),
                new JsonObject().put("interval", 5)), null));

        enroll(id, FAR, true, true);
        JsonObject toFar = register(id);

        assertThat(toFar.getString("assignedHub")).isEqualTo(FAR);
        assertThat(toFar.getString("substatus")).isEqualTo("deviceDataMigrated");
        DeviceTwin farTwin = await(far().twin(FAR, id)).orElseThrow();
        assertThat(farTwin.tags()).isEqualTo(Map.of("site", "moved"));
        assertThat(farTwin.desired()).isEqualTo(Map.of("interval", 5));
        assertThat(await(far().find(FAR, id)).orElseThrow().iotEdge()).as("capabilities come from the old hub").isFalse();
        assertThat(await(near().find(NEAR, id))).as("the old identity is deleted").isEmpty();

        // and back, through the REST client's read and delete
        await(far().patchTwin(FAR, id, new TwinUpdate(new JsonObject().put("site", "back"), new JsonObject()), null));
        enroll(id, NEAR, true, true);
        JsonObject toNear = register(id);

        assertThat(toNear.getString("assignedHub")).isEqualTo(NEAR);
        assertThat(toNear.getString("substatus")).isEqualTo("deviceDataMigrated");
        DeviceTwin nearTwin = await(near().twin(NEAR, id)).orElseThrow();
        assertThat(nearTwin.tags()).isEqualTo(Map.of("site", "back"));
        assertThat(nearTwin.desired()).isEqualTo(Map.of("interval", 5));
        assertThat(await(near().find(NEAR, id)).orElseThrow().iotEdge()).as("capabilities come from the old hub").isFalse();
        assertThat(await(far().find(FAR, id))).isEmpty();
    }

    @Test
    void aResettingDeviceStartsFromTheEnrollmentsInitialTwinAtTheNewHubAndLeavesNoIdentityBehind() throws Exception {
        String id = "resetter-1";
        enroll(id, NEAR, false, false);
        register(id);
        await(near().patchTwin(NEAR, id, new TwinUpdate(new JsonObject().put("site", "changed"), new JsonObject()), null));

        enroll(id, FAR, false, false);
        JsonObject moved = register(id);

        assertThat(moved.getString("assignedHub")).isEqualTo(FAR);
        assertThat(moved.getString("substatus")).isEqualTo("deviceDataReset");
        assertThat(await(far().twin(FAR, id)).orElseThrow().tags()).isEqualTo(Map.of("site", "initial"));
        assertThat(await(near().find(NEAR, id))).isEmpty();
    }

    @Test
    void aDeviceWhoseOldHubIsDownMovesWithTheInitialTwinAndIsNotSaidToHaveMigrated() throws Exception {
        String id = "stranded-1";
        enroll(id, FAR, true, false);
        register(id);
        farGateway.close();
        try {
            enroll(id, NEAR, true, false);
            JsonObject moved = register(id);

            assertThat(moved.getString("assignedHub")).isEqualTo(NEAR);
            assertThat(moved.getString("substatus")).isEqualTo("deviceDataReset");
            assertThat(await(near().twin(NEAR, id)).orElseThrow().tags()).isEqualTo(Map.of("site", "initial"));
        } finally {
            farGateway.restart();
        }
    }

    @Test
    void aMoveCutShortAfterTheOldIdentityWasDeletedKeepsTheTwinTheNewHubHas() throws Exception {
        String id = "half-moved-1";
        enroll(id, NEAR, true, false);
        register(id);
        // as if the gateway stopped between deleting the old identity and recording the new hub
        await(far().provision(new DeviceProvisioning(FAR, id, AuthType.SAS, DEVICE_KEY, DEVICE_KEY, null, null, false,
                Map.of("site", "moved"), Map.of(), TwinMode.KEEP, id)));
        await(near().delete(NEAR, id, null));

        enroll(id, FAR, true, false);
        JsonObject moved = register(id);

        assertThat(moved.getString("assignedHub")).isEqualTo(FAR);
        assertThat(moved.getString("substatus")).as("nothing was read to migrate").isEqualTo("deviceDataReset");
        assertThat(await(far().twin(FAR, id)).orElseThrow().tags()).isEqualTo(Map.of("site", "moved"));
    }

    /** An individual enrollment on one hub, with the initial twin {@code site: initial}. */
    static void enroll(String id, String hub, boolean migrate, boolean iotEdge) throws Exception {
        JsonObject enrollment = new JsonObject().put("registrationId", id)
                .put("attestation", new JsonObject().put("type", "symmetricKey").put("symmetricKey",
                        new JsonObject().put("primaryKey", DEVICE_KEY).put("secondaryKey", DEVICE_KEY)))
                .put("iotHubs", new JsonArray().add(hub))
                .put("capabilities", new JsonObject().put("iotEdge", iotEdge))
                .put("reprovisionPolicy", new JsonObject().put("updateHubAssignment", true).put("migrateDeviceData", migrate))
                .put("initialTwin", new JsonObject().put("tags", new JsonObject().put("site", "initial")));
        var answer = admin.send("PUT", "/enrollments/" + id, enrollment.encode(), null);
        assertThat(answer.statusCode()).as(answer.body()).isBetween(200, 201);
    }

    static JsonObject register(String id) throws Exception {
        JsonObject result = dps.registerAndPoll(id, RawDps.token(id, DEVICE_KEY));
        assertThat(result.getString("status")).as(result.encode()).isEqualTo("assigned");
        return result.getJsonObject("registrationState");
    }

    static DeviceRegistry near() {
        return dpsGateway.gateway().deviceRegistry();
    }

    static DeviceRegistry far() {
        return farGateway.gateway().deviceRegistry();
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
