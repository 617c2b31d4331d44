package io.onramp.policy.enrollment;

import io.onramp.policy.allocation.AllocationPolicyKind;
import java.time.Instant;
import java.util.List;

/**
 * An enrollment shared by many devices (service API {@code EnrollmentGroup}, spec §4.3). Each
 * device's hub device id is its own registration id; groups have no {@code deviceId}.
 */
public record EnrollmentGroup(
        String enrollmentGroupId,
        Attestation attestation,
        String iotHubHostName,
        List<String> iotHubs,
        InitialTwin initialTwin,
        ProvisioningStatus provisioningStatus,
        AllocationPolicyKind allocationPolicy,
        ReprovisionPolicy reprovisionPolicy,
        boolean iotEdge,
        String etag,
        Instant createdDateTimeUtc,
        Instant lastUpdatedDateTimeUtc,
        EnrollmentSource source) implements Enrollment {

    public EnrollmentGroup {
        EnrollmentFields.requireValidId(enrollmentGroupId, "enrollmentGroupId");
        attestation = EnrollmentFields.requireAttestation(attestation);
        iotHubs = EnrollmentFields.copyHubs(iotHubs);
        initialTwin = EnrollmentFields.twinOrEmpty(initialTwin);
        provisioningStatus = EnrollmentFields.statusOrDefault(provisioningStatus);
        reprovisionPolicy = EnrollmentFields.reprovisionOrDefault(reprovisionPolicy);
        source = EnrollmentFields.requireSource(source);
    }
}
