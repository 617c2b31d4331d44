package io.onramp.gateway.store;

import static io.onramp.gateway.store.StoreFutures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceDraft;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.registry.HubTwin;
import io.onramp.broker.registry.IdentityUpdate;
import io.onramp.broker.registry.TwinMode;
import io.onramp.broker.registry.TwinWrite;
import io.onramp.broker.twin.TwinUpdate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcDeviceRegistryTest {

    static final String HUB = "hub1.plant.example";
    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static final String OTHER_KEY = "QW5vdGhlcktleUZvclRlc3RWZWN0b3JzT25seTAwMDA=";

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();
    Database database;
    JdbcDeviceRegistry registry;

    @BeforeEach
    void open() {
        database = Database.openH2(vertx, dir);
        registry = new JdbcDeviceRegistry(database, Clock.systemUTC());
    }

    @AfterEach
    void close() throws Exception {
        database.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static DeviceDraft sas(String id, String primary, String secondary) {
        return new DeviceDraft(HUB, id, DeviceStatus.ENABLED, null, AuthType.SAS, primary, secondary, null, null, false);
    }

    @Test
    void createGeneratesMissingKeysAndRefusesADuplicate() throws Exception {
        DeviceIdentity created = await(registry.create(sas("pump-1", "", null)));

        assertThat(created.primaryKey()).isNotBlank().isNotEqualTo(created.secondaryKey());
        assertThat(java.util.Base64.getDecoder().decode(created.secondaryKey())).hasSize(32);
        assertThat(created.etag()).doesNotContain("\"");
        assertHubError(registry.create(sas("pump-1", KEY, KEY)), 409, "DeviceAlreadyExists");
    }

    @Test
    void reCreatingAfterDeleteGivesANewGeneration() throws Exception {
        DeviceIdentity first = await(registry.create(sas("pump-2", KEY, KEY)));
        await(registry.delete(HUB, "pump-2", "\"" + first.etag() + "\""));
        Thread.sleep(2);
        DeviceIdentity second = await(registry.create(sas("pump-2", KEY, KEY)));

        assertThat(second.generationId()).isNotEqualTo(first.generationId());
        assertThat(await(registry.readTwin(HUB, "pump-2")).twin().version()).isEqualTo(1);
    }

    @Test
    void updateChecksTheEtagAndKeepsKeysItWasNotGiven() throws Exception {
        DeviceIdentity created = await(registry.create(sas("pump-3", KEY, null)));
        DeviceDraft disable = new DeviceDraft(HUB, "pump-3", DeviceStatus.DISABLED, "maintenance", AuthType.SAS,
                null, null, null, null, true);

        assertHubError(registry.update(disable, "\"not-the-etag\""), 412, "PreconditionFailed");
        IdentityUpdate update = await(registry.update(disable, created.etag()));

        assertThat(update.after().primaryKey()).isEqualTo(KEY);
        assertThat(update.after().secondaryKey()).isEqualTo(created.secondaryKey());
        assertThat(update.after().status()).isEqualTo(DeviceStatus.DISABLED);
        assertThat(update.after().statusReason()).isEqualTo("maintenance");
        assertThat(update.after().statusUpdatedTime()).isAfter(created.statusUpdatedTime());
        assertThat(update.after().etag()).isNotEqualTo(created.etag());
        assertThat(update.after().generationId()).isEqualTo(created.generationId());
        assertThat(update.connectionsMustClose()).isTrue();
        assertHubError(registry.update(sas("nobody", KEY, KEY), "*"), 404, "DeviceNotFound");
    }

    @Test
    void deleteChecksTheEtag() throws Exception {
        await(registry.create(sas("pump-4", KEY, KEY)));

        assertHubError(registry.delete(HUB, "pump-4", "stale"), 412, "PreconditionFailed");
        await(registry.delete(HUB, "pump-4", "*"));
        assertThat(await(registry.find(HUB, "pump-4"))).isEmpty();
        assertHubError(registry.delete(HUB, "pump-4", "*"), 404, "DeviceNotFound");
    }

    @Test
    void twinWritesCheckTheTwinEtagAndAreDurable() throws Exception {
        await(registry.create(sas("pump-5", KEY, KEY)));
        TwinUpdate update = new TwinUpdate(new JsonObject("{\"site\":\"north\"}"), new JsonObject("{\"setpoint\":21}"));

        assertHubError(registry.patchTwin(HUB, "pump-5", update, "\"AAAAAAAAAAk=\""), 412, "PreconditionFailed");
        TwinWrite write = await(registry.patchTwin(HUB, "pump-5", update, "\"AAAAAAAAAAE=\""));
        long reportedVersion = await(registry.patchReported(HUB, "pump-5", new JsonObject("{\"fw\":\"1.0\"}")));
        reopen();

        HubTwin twin = await(registry.readTwin(HUB, "pump-5"));
        assertThat(write.change().desiredPatch()).isEqualTo(new JsonObject("{\"setpoint\":21}"));
        assertThat(twin.twin().etag()).isEqualTo("AAAAAAAAAAI=");
        assertThat(twin.twin().tags()).isEqualTo(new JsonObject("{\"site\":\"north\"}"));
        assertThat(reportedVersion).isEqualTo(2);
        assertThat(await(registry.deviceView(HUB, "pump-5"))).isEqualTo(new JsonObject("""
                {"desired":{"setpoint":21,"$version":2},"reported":{"fw":"1.0","$version":2}}"""));
        assertThat(twin.twin().desired().metadata().getJsonObject("setpoint").getLong("$lastUpdatedVersion")).isEqualTo(2);
    }

    @Test
    void anInvalidReportedPatchIsRefusedAndChangesNothing() throws Exception {
        await(registry.create(sas("pump-6", KEY, KEY)));

        assertHubError(registry.patchReported(HUB, "pump-6", new JsonObject("{\"a.b\":1}")), 400, "ArgumentInvalid");
        assertHubError(registry.patchReported(HUB, "nobody", new JsonObject()), 404, "DeviceNotFound");
        assertThat(await(registry.readTwin(HUB, "pump-6")).twin().reported().version()).isEqualTo(1);
    }

    @Test
    void provisionKeepsItsBehaviour() throws Exception {
        DeviceProvisioning first = new DeviceProvisioning(HUB, "sensor-1", AuthType.SAS, KEY, null, false,
                Map.of("site", "plant-1"), Map.of("interval", 30), TwinMode.KEEP);
        DeviceIdentity created = await(registry.provision(first));
        await(registry.patchReported(HUB, "sensor-1", new JsonObject("{\"fw\":\"1\"}")));

        assertThat(created.createdTime()).isEqualTo(created.updatedTime());
        assertThat(await(registry.twin(HUB, "sensor-1")).orElseThrow().desiredVersion()).isEqualTo(1);

        DeviceIdentity kept = await(registry.provision(first));
        assertThat(kept.generationId()).isEqualTo(created.generationId());
        assertThat(await(registry.twin(HUB, "sensor-1")).orElseThrow().reported()).containsEntry("fw", "1");

        await(registry.provision(new DeviceProvisioning(HUB, "sensor-1", AuthType.SAS, KEY, null, false,
                Map.of("site", "plant-2"), Map.of("interval", 60), TwinMode.RESET)));
        var reset = await(registry.twin(HUB, "sensor-1")).orElseThrow();
        assertThat(reset.tags()).containsEntry("site", "plant-2");
        assertThat(reset.reported()).isEmpty();
        assertThat(reset.desiredVersion()).isEqualTo(2);
        assertThat(reset.reportedVersion()).isEqualTo(3);
    }

    @Test
    void aNewDeviceIsInsertedWithoutReadingItsRowFirst() throws Exception {
        await(registry.storedRowsLoaded());
        QueryStatistics.start(database);
        DeviceProvisioning request = new DeviceProvisioning(HUB, "sensor-new", AuthType.SAS, KEY, null, false,
                Map.of(), Map.of(), TwinMode.KEEP);

        DeviceIdentity created = await(registry.provision(request));
        assertThat(QueryStatistics.executions(database, DeviceRows.FIND_OWNED)).isZero();

        DeviceIdentity again = await(registry.provision(request));
        assertThat(QueryStatistics.executions(database, DeviceRows.FIND_OWNED)).isEqualTo(1);
        assertThat(again.generationId()).isEqualTo(created.generationId());
    }

    @Test
    void devicesStoredBeforeAStartOrMadeThroughTheRegistryApiAreRefreshedNotInsertedAgain() throws Exception {
        DeviceProvisioning before = new DeviceProvisioning(HUB, "sensor-old", AuthType.SAS, KEY, null, false,
                Map.of(), Map.of(), TwinMode.KEEP);
        DeviceIdentity stored = await(registry.provision(before));
        reopen();
        await(registry.storedRowsLoaded());
        DeviceIdentity made = await(registry.create(sas("sensor-api", KEY, KEY)));

        assertThat(await(registry.provision(before)).generationId()).isEqualTo(stored.generationId());
        assertThat(await(registry.provision(new DeviceProvisioning(HUB, "sensor-api", AuthType.SAS, KEY, null, false,
                Map.of(), Map.of(), TwinMode.KEEP))).generationId()).isEqualTo(made.generationId());
    }

    @Test
    void anIdentityMadeForOneRegistrationIsNotReKeyedForAnother() throws Exception {
        DeviceIdentity original = await(registry.provision(owned("press-7", "press-7", KEY)));
        await(registry.patchReported(HUB, "press-7", new JsonObject("{\"fw\":\"1\"}")));

        assertHubError(registry.provision(owned("press-7", "evil2", OTHER_KEY)), 409, "DeviceAlreadyExists");
        assertThatThrownBy(() -> await(registry.provision(owned("press-7", "evil2", OTHER_KEY)))).cause()
                .hasMessageContaining("registration press-7").hasMessageContaining("registration evil2");
        DeviceIdentity kept = await(registry.find(HUB, "press-7")).orElseThrow();
        assertThat(kept.primaryKey()).isEqualTo(KEY);
        assertThat(kept.etag()).isEqualTo(original.etag());

        DeviceIdentity again = await(registry.provision(owned("press-7", "press-7", KEY)));
        assertThat(again.generationId()).isEqualTo(original.generationId());
        assertThat(await(registry.twin(HUB, "press-7")).orElseThrow().reported()).containsEntry("fw", "1");
    }

    @Test
    void aDeviceMadeThroughTheRegistryApiIsNotReKeyedByARegistration() throws Exception {
        await(registry.create(sas("pump-7", KEY, KEY)));

        assertHubError(registry.provision(owned("pump-7", "pump-7", OTHER_KEY)), 409, "DeviceAlreadyExists");
        assertThatThrownBy(() -> await(registry.provision(owned("pump-7", "pump-7", OTHER_KEY)))).cause()
                .hasMessageContaining("made through the hub registry API, not by registration pump-7");
        assertThat(await(registry.find(HUB, "pump-7")).orElseThrow().primaryKey()).isEqualTo(KEY);
    }

    @Test
    void aRedoneProvisioningIsAppliedAsItWasWhateverOwnerItFinds() throws Exception {
        await(registry.provision(owned("press-9", "press-9", KEY)));
        // Journaled, so accepted when it ran: a registry delete of press-9's identity that H2 lost came before it.
        Redo.ProvisionDevice redo = new Redo.ProvisionDevice(owned("press-9", "other-9", OTHER_KEY),
                java.time.Instant.now(), "638000000000000001", "MTIz");

        await(database.write(c -> JdbcDeviceRegistry.provision(c, redo)));

        assertThat(await(registry.find(HUB, "press-9")).orElseThrow().primaryKey()).isEqualTo(OTHER_KEY);
        assertHubError(registry.provision(owned("press-9", "press-9", KEY)), 409, "DeviceAlreadyExists");
    }

    @Test
    void identitiesFromBeforeOwnersWereKeptBelongToTheOldestRecordNamingThem() throws Exception {
        await(registry.provision(owned("press-1", "press-1", KEY)));
        database.close();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("onramp"), "onramp", "");
                Statement s = c.createStatement()) {
            s.execute("ALTER TABLE devices DROP COLUMN provisioned_for");
            s.execute(record("evil1", "press-1", 2_000));
            s.execute(record("press-1", "press-1", 1_000));
        }
        open();

        assertHubError(registry.provision(owned("press-1", "evil1", OTHER_KEY)), 409, "DeviceAlreadyExists");
        assertThat(await(registry.provision(owned("press-1", "press-1", KEY))).primaryKey()).isEqualTo(KEY);
    }

    private static String record(String registrationId, String deviceId, long createdMs) {
        return "INSERT INTO registrations (reg_key, registration_id, enrollment_kind, enrollment_id, device_id,"
                + " assigned_hub, status, etag, created_ms, updated_ms) VALUES ('" + registrationId + "', '"
                + registrationId + "', 'INDIVIDUAL', '" + registrationId + "', '" + deviceId + "', '" + HUB
                + "', 'assigned', 'e', " + createdMs + ", " + createdMs + ")";
    }

    /** A SAS device as the provisioning service asks for it, for registration {@code owner}. */
    private static DeviceProvisioning owned(String deviceId, String owner, String key) {
        return new DeviceProvisioning(HUB, deviceId, AuthType.SAS, key, null, null, null, false, Map.of(), Map.of(),
                TwinMode.KEEP, owner);
    }

    @Test
    void twinsArePagedInDeviceIdOrder() throws Exception {
        for (String id : new String[] {"c", "a", "b"}) {
            await(registry.create(sas(id, KEY, KEY)));
        }
        assertThat(await(registry.twins(HUB, null, 2))).extracting(t -> t.identity().deviceId()).containsExactly("a", "b");
        assertThat(await(registry.twins(HUB, "b", 2))).extracting(t -> t.identity().deviceId()).containsExactly("c");
    }

    @Test
    void aDataDirectoryFromBeforeTheRegistryApiStillOpens() throws Exception {
        database.close();
        Path old = dir.resolve("old");
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + old.resolve("onramp"), "onramp", "");
                Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE devices (hub VARCHAR(255) NOT NULL, device_id VARCHAR(128) NOT NULL,
                        generation_id VARCHAR(40) NOT NULL, etag VARCHAR(64) NOT NULL, status VARCHAR(16) NOT NULL,
                        auth_type VARCHAR(32) NOT NULL, primary_key VARCHAR(100), secondary_key VARCHAR(100),
                        iot_edge BOOLEAN NOT NULL, twin_tags VARCHAR(65536) NOT NULL, twin_desired VARCHAR(65536) NOT NULL,
                        twin_reported VARCHAR(65536) NOT NULL, desired_version BIGINT NOT NULL,
                        reported_version BIGINT NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,
                        PRIMARY KEY (hub, device_id))""");
            s.execute("INSERT INTO devices VALUES ('" + HUB + "', 'legacy', '1', '\"abc\"', 'enabled', 'sas', '" + KEY
                    + "', null, false, '{\"t\":1}', '{\"d\":{\"x\":1}}', '{}', 1, 1, 1700000000000, 1700000000000)");
        }
        database = Database.openH2(vertx, old);
        registry = new JdbcDeviceRegistry(database, Clock.systemUTC());

        HubTwin twin = await(registry.readTwin(HUB, "legacy"));
        assertThat(twin.twin().version()).isEqualTo(1);
        assertThat(twin.twin().desired().metadata().getJsonObject("d").getJsonObject("x").getString("$lastUpdated"))
                .isEqualTo("2023-11-14T22:13:20.000Z");
        assertThat(await(registry.delete(HUB, "legacy", "abc")).deviceId()).isEqualTo("legacy");
    }

    private void reopen() {
        database.close();
        open();
    }


    private static void assertHubError(Future<?> future, int status, String code) {
        assertThatThrownBy(() -> await(future)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(HubException.class, e -> {
                    assertThat(e.status()).isEqualTo(status);
                    assertThat(e.errorCode()).isEqualTo(code);
                });
    }
}
