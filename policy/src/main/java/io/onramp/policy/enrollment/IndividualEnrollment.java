package io.onramp.policy.enrollment;

import io.onramp.policy.allocation.AllocationPolicyKind;
import java.time.Instant;
import java.util.List;

/**
 * An enrollment for exactly one device, keyed by its registration id (service API
 * {@code IndividualEnrollment}, spec §4.2).
 *
 * @param registrationId the device's registration id, as first written by the client
 * @param deviceId       desired IoT Hub device id, or null/blank to use the registration id
 */
public record IndividualEnrollment(
        String registrationId,
        String deviceId,
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

    public IndividualEnrollment {
        EnrollmentFields.requireValidId(registrationId, "registrationId");
        attestation = EnrollmentFields.requireAttestation(attestation);
        iotHubs = EnrollmentFields.copyHubs(iotHubs);
        initialTwin = EnrollmentFields.twinOrEmpty(initialTwin);
        provisioningStatus = EnrollmentFields.statusOrDefault(provisioningStatus);
        reprovisionPolicy = EnrollmentFields.reprovisionOrDefault(reprovisionPolicy);
        source = EnrollmentFields.requireSource(source);
    }

    /** The device id on the hub: the desired {@code deviceId} if set, else the registration id (spec §4.1). */
    public String effectiveDeviceId() {
        return deviceId == null || deviceId.isBlank() ? registrationId : deviceId;
    }
}
