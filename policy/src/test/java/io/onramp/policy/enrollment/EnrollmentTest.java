package io.onramp.policy.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.policy.allocation.AllocationPolicyKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnrollmentTest {

    static final Attestation KEYS = new SymmetricKeyAttestation(SymmetricKeyAttestationTest.PRIMARY, null);
    static final Instant NOW = Instant.parse("2024-04-30T07:00:00Z");

    static IndividualEnrollment individual(String registrationId, String deviceId, Attestation attestation,
            List<String> hubs, ProvisioningStatus status, EnrollmentSource source) {
        return new IndividualEnrollment(registrationId, deviceId, attestation, null, hubs, null, status,
                AllocationPolicyKind.HASHED, null, false, "\"1\"", NOW, NOW, source);
    }

    static EnrollmentGroup group(String groupId, Attestation attestation) {
        return new EnrollmentGroup(groupId, attestation, null, null, null, null, null, null, false, null, null, null,
                EnrollmentSource.CONFIG);
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
}
