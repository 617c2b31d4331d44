package io.onramp.policy.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrollmentTest {

    static final Attestation KEYS = new SymmetricKeyAttestation(SymmetricKeyAttestationTest.PRIMARY, null);
    static final Instant NOW = Instant.parse("2024-04-30T07:00:00Z");

    static IndividualEnrollment individual(String registrationId, String deviceId, Attestation attestation,
            List<String> hubs, ProvisioningStatus status, EnrollmentSource source) {
        return new IndividualEnrollment(registrationId, deviceId, attestation, null, hubs, null, status,
                AllocationPolicyKind.HASHED, null, null, false, null, "\"1\"", NOW, NOW, source);
    }

    static EnrollmentGroup group(String groupId, Attestation attestation) {
        return new EnrollmentGroup(groupId, attestation, null, null, null, null, null, null, null, false, null, null,
                null, EnrollmentSource.CONFIG);
    }

    @Test
    void individualAppliesServiceDefaults() {
        IndividualEnrollment enrollment = individual("line7-plc-0042", null, KEYS, null, null, EnrollmentSource.API);
        assertThat(enrollment.iotHubs()).isEmpty();
        assertThat(enrollment.initialTwin()).isEqualTo(InitialTwin.EMPTY);
        assertThat(enrollment.provisioningStatus()).isEqualTo(ProvisioningStatus.ENABLED);
        assertThat(enrollment.enabled()).isTrue();
        assertThat(enrollment.reprovisionPolicy()).isEqualTo(ReprovisionPolicy.DEFAULT);
        assertThat(ReprovisionPolicy.DEFAULT).isEqualTo(new ReprovisionPolicy(true, true));
    }

    @Test
    void groupAppliesServiceDefaults() {
        EnrollmentGroup group = group("hall-b-sensors", KEYS);
        assertThat(group.iotHubs()).isEmpty();
        assertThat(group.initialTwin()).isEqualTo(InitialTwin.EMPTY);
        assertThat(group.provisioningStatus()).isEqualTo(ProvisioningStatus.ENABLED);
        assertThat(group.reprovisionPolicy()).isEqualTo(ReprovisionPolicy.DEFAULT);
        assertThat(group.allocationPolicy()).isNull();
        assertThat(group.source()).isEqualTo(EnrollmentSource.CONFIG);
    }

    @Test
    void disabledEnrollmentIsNotEnabled() {
        Enrollment enrollment = individual("dev-1", null, KEYS, null, ProvisioningStatus.DISABLED, EnrollmentSource.API);
        assertThat(enrollment.enabled()).isFalse();
    }

    @Test
    void effectiveDeviceIdFallsBackToRegistrationId() {
        assertThat(individual("Dev-1", null, KEYS, null, null, EnrollmentSource.API).effectiveDeviceId()).isEqualTo("Dev-1");
        assertThat(individual("Dev-1", "  ", KEYS, null, null, EnrollmentSource.API).effectiveDeviceId()).isEqualTo("Dev-1");
        assertThat(individual("Dev-1", "press-17", KEYS, null, null, EnrollmentSource.API).effectiveDeviceId())
                .isEqualTo("press-17");
    }

    @Test
    void rejectsInvalidIdsNamingTheField() {
        assertThatThrownBy(() -> individual("bad/id", null, KEYS, null, null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("registrationId:");
        assertThatThrownBy(() -> individual(null, null, KEYS, null, null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("registrationId:");
        assertThatThrownBy(() -> group("ends-with-dot.", KEYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("enrollmentGroupId:");
        assertThatThrownBy(() -> group("g".repeat(129), KEYS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("enrollmentGroupId:");
    }

    @Test
    void requiresAttestationAndSource() {
        assertThatThrownBy(() -> individual("dev-1", null, null, null, null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("attestation:");
        assertThatThrownBy(() -> group("grp", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("attestation:");
        assertThatThrownBy(() -> individual("dev-1", null, KEYS, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("source:");
    }

    @Test
    void copiesHubListAndRejectsBlankEntries() {
        List<String> hubs = new ArrayList<>(List.of("hub-a.plant1.example"));
        IndividualEnrollment enrollment = individual("dev-1", null, KEYS, hubs, null, EnrollmentSource.API);
        hubs.add("hub-b.plant1.example");
        assertThat(enrollment.iotHubs()).containsExactly("hub-a.plant1.example");
        assertThatThrownBy(() -> enrollment.iotHubs().add("x")).isInstanceOf(UnsupportedOperationException.class);

        assertThatThrownBy(() -> individual("dev-1", null, KEYS, Arrays.asList("hub-a", null), null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("iotHubs:");
        assertThatThrownBy(() -> individual("dev-1", null, KEYS, List.of(" "), null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("iotHubs:");
    }

    @Test
    void toStringDoesNotLeakKeys() {
        assertThat(individual("dev-1", null, KEYS, null, null, EnrollmentSource.API).toString())
                .doesNotContain(SymmetricKeyAttestationTest.PRIMARY);
    }

    @Test
    void customAllocationNeedsItsDefinition() {
        CustomAllocationDefinition webhook = new CustomAllocationDefinition("https://alloc.plant1.example/api", "2021-10-01");
        assertThatThrownBy(() -> new IndividualEnrollment("dev-1", null, KEYS, null, null, null, null,
                AllocationPolicyKind.CUSTOM, null, null, false, null, null, null, null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("customAllocationDefinition:");
        assertThatThrownBy(() -> new EnrollmentGroup("grp", KEYS, null, null, null, null, AllocationPolicyKind.CUSTOM,
                null, null, false, null, null, null, EnrollmentSource.API))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("customAllocationDefinition:");

        EnrollmentGroup custom = new EnrollmentGroup("grp", KEYS, null, null, null, null, AllocationPolicyKind.CUSTOM,
                webhook, null, false, null, null, null, EnrollmentSource.API);
        assertThat(custom.customAllocationDefinition()).isEqualTo(webhook);
        // a definition without the custom policy is kept too, as Azure keeps it
        assertThat(new EnrollmentGroup("grp", KEYS, null, null, null, null, null, webhook, null, false, null, null,
                null, EnrollmentSource.API).customAllocationDefinition()).isEqualTo(webhook);
    }

    @Test
    void optionalDeviceInformationIsAnImmutableCopy() {
        Map<String, Object> info = new HashMap<>(Map.of("model", "TS-400", "site", Map.of("hall", "B")));
        IndividualEnrollment enrollment = new IndividualEnrollment("dev-1", null, KEYS, null, null, null, null, null,
                null, null, false, info, null, null, null, EnrollmentSource.API);
        info.put("model", "changed");
        assertThat(enrollment.optionalDeviceInformation()).containsEntry("model", "TS-400")
                .containsEntry("site", Map.of("hall", "B"));
        assertThatThrownBy(() -> enrollment.optionalDeviceInformation().put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(individual("dev-2", null, KEYS, null, null, EnrollmentSource.API).optionalDeviceInformation()).isEmpty();
    }

    @Test
    void serverFieldsAreStampedOnACopyThatKeepsEverythingElse() {
        CustomAllocationDefinition webhook = new CustomAllocationDefinition("https://alloc.plant1.example/api", "2021-10-01");
        IndividualEnrollment draft = new IndividualEnrollment("dev-1", "press-1", KEYS, null, List.of("hub-a"), null,
                ProvisioningStatus.DISABLED, AllocationPolicyKind.CUSTOM, webhook, null, true, Map.of("model", "TS-400"),
                null, null, null, EnrollmentSource.API);
        IndividualEnrollment stamped = draft.withServerFields("\"2\"", NOW, NOW);
        assertThat(stamped).usingRecursiveComparison().ignoringFields("etag", "createdDateTimeUtc", "lastUpdatedDateTimeUtc")
                .isEqualTo(draft);
        assertThat(stamped.etag()).isEqualTo("\"2\"");
        assertThat(stamped.createdDateTimeUtc()).isEqualTo(NOW);
    }
}
