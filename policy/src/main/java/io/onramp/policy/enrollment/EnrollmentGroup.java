package io.onramp.policy.enrollment;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
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
        CustomAllocationDefinition customAllocationDefinition,
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
        EnrollmentFields.requireDefinitionForCustom(allocationPolicy, customAllocationDefinition);
        reprovisionPolicy = EnrollmentFields.reprovisionOrDefault(reprovisionPolicy);
        source = EnrollmentFields.requireSource(source);
    }

    @Override
    public EnrollmentGroup withServerFields(String etag, Instant created, Instant updated) {
        return new EnrollmentGroup(enrollmentGroupId, attestation, iotHubHostName, iotHubs, initialTwin,
                provisioningStatus, allocationPolicy, customAllocationDefinition, reprovisionPolicy, iotEdge, etag,
                created, updated, source);
    }

    /** The same enrollment naming its hubs differently: the config file resolves hub names to host names. */
    public EnrollmentGroup withHubs(String iotHubHostName, List<String> iotHubs) {
        return new EnrollmentGroup(enrollmentGroupId, attestation, iotHubHostName, iotHubs, initialTwin,
                provisioningStatus, allocationPolicy, customAllocationDefinition, reprovisionPolicy, iotEdge, etag,
                createdDateTimeUtc, lastUpdatedDateTimeUtc, source);
    }
}
