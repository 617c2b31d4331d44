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
                new RegistrationRecord.Tpm("a2V5", "000b12", "the blob of the answer"));
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
    void aRecordOfAnUnknownKindIsRefusedByName() {
        assertThatThrownBy(() -> Redo.decode("{\"kind\":\"dropTables\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(StoreException.class).hasMessageContaining("dropTables");
    }
}
