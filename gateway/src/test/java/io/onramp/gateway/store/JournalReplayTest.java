package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalReplayTest {

    private static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRecordHeldUpByARowLockIsRedoneOnceTheLockIsGone() throws Exception {
        Database.openH2(vertx, dir).close(); // the schema, and a journal H2 holds all of
        RegistrationRecord record = new RegistrationRecord("press-7", EnrollmentRef.individual("press-7"), "press-7",
                "127.0.0.2", RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null, null,
                "\"from-the-journal\"", NOW, NOW);
        Journal journal = Journal.openForAppend(dir.resolve("journal"), 0);
        journal.append(List.of(new Redo.SaveRegistration(record).encode()));
        journal.close();

        // Another transaction holds the record's row for longer than H2's lock timeout (2 s): the first
        // attempt to redo it times out, a later one succeeds once the row is free.
        Connection holder = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("onramp").toAbsolutePath(),
                "onramp", "");
        holder.setAutoCommit(false);
        try (PreparedStatement s = holder.prepareStatement("INSERT INTO registrations (reg_key, registration_id,"
                + " enrollment_kind, enrollment_id, status, etag, created_ms, updated_ms)"
                + " VALUES ('press-7','press-7','INDIVIDUAL','press-7','assigning','\"held\"',0,0)")) {
            s.executeUpdate();
        }
        CompletableFuture<Void> released = CompletableFuture.runAsync(() -> {
            try {
                Thread.sleep(4_000);
                holder.rollback();
                holder.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Database database = Database.openH2(vertx, dir);
        try {
            released.get(10, TimeUnit.SECONDS);
            var found = new JdbcRegistrationStore(database).find("press-7").toCompletionStage().toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(found).hasValueSatisfying(r -> assertThat(r.etag()).isEqualTo("\"from-the-journal\""));
        } finally {
            database.close();
        }
    }

    @Test
    void aDeviceRowThatH2LostIsRedoneFromTheJournalBeforeItsLaterPatch() throws Exception {
        Database database = Database.openH2(vertx, dir);
        JdbcDeviceRegistry devices = provisionPress7(database);
        long first = patch(devices, "a", 1);
        database.close(); // H2 holds records 1 and 2; their journal file stays until the next start

        // What one kill test found: H2 without a row its mark says it holds, and a later record of that device.
        try (Connection c = connect();
                PreparedStatement s = c.prepareStatement("DELETE FROM devices WHERE device_id = 'press-7'")) {
            s.executeUpdate();
        }
        Journal journal = Journal.openForAppend(dir.resolve("journal"), 2);
        journal.append(List.of(new Redo.PatchReported("127.0.0.2", "press-7", new io.vertx.core.json.JsonObject()
                .put("b", 2), NOW).encode()));
        journal.close();

        assertThat(reopenedTwin()).hasValueSatisfying(t -> {
            assertThat(t.reported()).containsEntry("a", 1).containsEntry("b", 2);
            assertThat(t.reportedVersion()).isEqualTo(first + 1);
        });
    }

    @Test
    void aPatchH2LostThoughItsMarkCoversItIsRedoneFromTheLastSyncAndNoPatchIsAppliedTwice() throws Exception {
        Database database = Database.openH2(vertx, dir);
        JdbcDeviceRegistry devices = provisionPress7(database);
        patch(devices, "a", 1);
        String[] afterFirstPatch = twinColumns();
        long last = patch(devices, "b", 2);
        database.close();

        // What a kill test found: H2's mark covers the second patch (record 3), its twin is the one before it. The
        // synced mark says H2 was synced only before the device existed.
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "UPDATE devices SET twin_reported = ?, reported_meta = ?, reported_version = ?, twin_version = ?")) {
            for (int i = 0; i < 4; i++) {
                s.setString(i + 1, afterFirstPatch[i]);
            }
            s.executeUpdate();
            assertThat(JournalMark.read(c)).isEqualTo(3);
        }
        java.nio.file.Files.writeString(dir.resolve("journal").resolve("synced"), "0\n");

        assertThat(reopenedTwin()).hasValueSatisfying(t -> {
            assertThat(t.reported()).containsEntry("a", 1).containsEntry("b", 2);
            assertThat(t.reportedVersion()).as("each patch once").isEqualTo(last);
        });
        assertThat(SyncedMark.read(dir.resolve("journal"))).hasValue(3);
    }

    @Test
    void reopeningSaysHowManyWritesItRecoveredAndNoneAfterACleanClose() throws Exception {
        Database database = Database.openH2(vertx, dir);
        JdbcDeviceRegistry devices = provisionPress7(database);
        patch(devices, "a", 1);
        database.close();
        Database cleanlyClosed = Database.openH2(vertx, dir);
        assertThat(cleanlyClosed.recoveredWrites()).isZero();
        patch(new JdbcDeviceRegistry(cleanlyClosed, java.time.Clock.systemUTC()), "b", 2);
        cleanlyClosed.close();

        // as if killed before H2 was synced: the journal's records are redone
        java.nio.file.Files.writeString(dir.resolve("journal").resolve("synced"), "0\n");
        Database reopened = Database.openH2(vertx, dir);
        try {
            assertThat(reopened.recoveredWrites()).isPositive();
        } finally {
            reopened.close();
        }
    }

    /** The device's twin as the store shows it after opening again (and replaying), the store closed after. */
    private java.util.Optional<io.onramp.broker.registry.DeviceTwin> reopenedTwin() throws Exception {
        Database reopened = Database.openH2(vertx, dir);
        try {
            return new JdbcDeviceRegistry(reopened, java.time.Clock.systemUTC()).twin("127.0.0.2", "press-7")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } finally {
            reopened.close();
        }
    }

    private static JdbcDeviceRegistry provisionPress7(Database database) throws Exception {
        JdbcDeviceRegistry devices = new JdbcDeviceRegistry(database, java.time.Clock.systemUTC());
        devices.provision(new io.onramp.broker.registry.DeviceProvisioning("127.0.0.2", "press-7",
                io.onramp.broker.registry.AuthType.SAS, "cHJpbWFyeS1rZXktMDAwMDAwMDAwMDAwMDAwMDAwMDA=",
                "c2Vjb25kYXJ5LWtleS0wMDAwMDAwMDAwMDAwMDAwMDA=", false, java.util.Map.of(), java.util.Map.of(),
                io.onramp.broker.registry.TwinMode.KEEP)).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return devices;
    }

    private static long patch(JdbcDeviceRegistry devices, String name, int value) throws Exception {
        return devices.patchReported("127.0.0.2", "press-7", new io.vertx.core.json.JsonObject().put(name, value))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private String[] twinColumns() throws Exception {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT twin_reported, reported_meta, reported_version, twin_version FROM devices");
                var rs = s.executeQuery()) {
            assertThat(rs.next()).isTrue();
            return new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)};
        }
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("onramp").toAbsolutePath(), "onramp", "");
    }
}
