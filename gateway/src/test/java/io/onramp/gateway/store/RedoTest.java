package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.TwinMode;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedoTest {

    private static final Instant NOW = Instant.parse("2026-11-27T09:00:00.123456Z");

    @Test
    void aProvisioningComesBackWithItsTimeGenerationAndEtag() {
        var write = new Redo.ProvisionDevice(new DeviceProvisioning("127.0.0.2", "cam-1", AuthType.SELF_SIGNED, null, null,
                "AB12", "CD34", true, Map.of("site", Map.of("line", 7)), Map.of("rates", List.of(1, 2)), TwinMode.RESET,
                "cam-1"),
                NOW, "638000000000000001", "MTIz");
        assertThat(Redo.decode(write.encode())).isEqualTo(write);
    }

    @Test
    void aRegistrationComesBackAsStoredWithoutWhatIsNeverKept() {
        var tpm = new RegistrationRecord(" tpm-1", EnrollmentRef.individual("tpm-1"), "tpm-1", null,
                RegistrationStatus.FAILED, null, 401002, "bad token", null, "\"e1\"", NOW, NOW.plusSeconds(1), null,
                new RegistrationRecord.Tpm("a2V5", "000b12", "the blob of the answer"), null);
        var redone = (Redo.SaveRegistration) Redo.decode(new Redo.SaveRegistration(tpm).encode());
        assertThat(redone.record().tpm()).isEqualTo(new RegistrationRecord.Tpm("a2V5", "000b12", null));
        assertThat(redone.record().errorCode()).isEqualTo(401002);
        assertThat(redone.record().createdDateTimeUtc()).isEqualTo(NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(redone.record().registrationId()).isEqualTo(" tpm-1");
        assertThat(redone.record().status()).isEqualTo(RegistrationStatus.FAILED);
    }

    @Test
    void aReportedPatchComesBackWithItsTime() {
        var patch = new Redo.PatchReported("127.0.0.2", "cam-1",
                new io.vertx.core.json.JsonObject().put("fw", "1.2").putNull("old").put("net", Map.of("rssi", -61)), NOW);
        assertThat(Redo.decode(patch.encode())).isEqualTo(patch);
        // Journaled once it ran, with the version it made: a redo where the twin has it changes nothing.
        var journaled = patch.completed(7L);
        assertThat(((Redo.PatchReported) journaled).version()).isEqualTo(7L);
        assertThat(Redo.decode(journaled.encode())).isEqualTo(journaled);
    }

    @Test
    void recordsJournaledBeforeNullsWereLeftOutStillRedo() {
        // As the JsonObject-built records of earlier versions had it: every member, null ones written as null.
        String older = "{\"kind\":\"saveRegistration\",\"registrationId\":\"sensor-1\",\"enrollmentKind\":\"GROUP\","
                + "\"enrollmentId\":\"sensors\",\"deviceId\":\"sensor-1\",\"assignedHub\":\"127.0.0.2\",\"status\":\"assigned\","
                + "\"substatus\":\"initialAssignment\",\"errorCode\":null,\"errorMessage\":null,\"payload\":null,"
                + "\"etag\":\"\\\"e1\\\"\",\"created\":1795770000123,\"updated\":1795770000123,\"tpmKey\":null,\"tpmEk\":null}";
        var redone = (Redo.SaveRegistration) Redo.decode(older.getBytes(StandardCharsets.UTF_8));
        var record = new RegistrationRecord("sensor-1", EnrollmentRef.group("sensors"), "sensor-1", "127.0.0.2",
                RegistrationStatus.ASSIGNED, "initialAssignment", null, null, null, "\"e1\"", NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                NOW.truncatedTo(java.time.temporal.ChronoUnit.MILLIS), null, null, null);
        assertThat(redone.record()).isEqualTo(record);
        // And a record written now, without its null members and naming its operation, reads back the same.
        var current = new RegistrationRecord("sensor-1", EnrollmentRef.group("sensors"), "sensor-1", "127.0.0.2",
                RegistrationStatus.ASSIGNED, "initialAssignment", null, null, null, "\"e1\"", record.createdDateTimeUtc(),
                record.lastUpdatedDateTimeUtc(), null, null, "5.0123456789abcdef.2b8a4a57-9c62-0d4f5e2b9a11");
        String written = new String(new Redo.SaveRegistration(current).encode(), StandardCharsets.UTF_8);
        assertThat(written).doesNotContain("null").contains("\"kind\":\"saveRegistration\"");
        assertThat(((Redo.SaveRegistration) Redo.decode(written.getBytes(StandardCharsets.UTF_8))).record()).isEqualTo(current);
    }

    @Test
    void aTwinValueOfNoJsonTypeIsJournaledAsVertxWouldEncodeIt() {
        var id = java.util.UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        var write = new Redo.ProvisionDevice(new DeviceProvisioning("127.0.0.2", "cam-2", AuthType.SAS, "a2V5", null,
                null, null, false, Map.of("batch", id), Map.of(), TwinMode.KEEP, "cam-2"), NOW, "638000000000000002", "NDU2");
        var redone = (Redo.ProvisionDevice) Redo.decode(write.encode());
        assertThat(redone.request().initialTags()).containsEntry("batch", id.toString());
    }

    @Test
    void aRecordOfAnUnknownKindIsRefusedByName() {
        assertThatThrownBy(() -> Redo.decode("{\"kind\":\"dropTables\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StoreException.class).hasMessageContaining("dropTables");
    }
}
