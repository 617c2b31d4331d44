package io.onramp.policy.enrollment;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An enrollment for exactly one device, keyed by its registration id (service API
 * {@code IndividualEnrollment}, spec §4.2).
 *
 * @param registrationId the device's registration id, as first written by the client
 * @param deviceId       desired IoT Hub device id, or null/blank to use the registration id
 * @param optionalDeviceInformation free-form metadata (a TwinCollection) kept with the enrollment and
 *                       never pushed to the hub; null becomes empty
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
        CustomAllocationDefinition customAllocationDefinition,
        ReprovisionPolicy reprovisionPolicy,
        boolean iotEdge,
        Map<String, Object> optionalDeviceInformation,
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
        EnrollmentFields.requireDefinitionForCustom(allocationPolicy, customAllocationDefinition);
        reprovisionPolicy = EnrollmentFields.reprovisionOrDefault(reprovisionPolicy);
        optionalDeviceInformation = JsonValues.copyObject(optionalDeviceInformation, "optionalDeviceInformation");
        source = EnrollmentFields.requireSource(source);
    }

    @Override
    public IndividualEnrollment withServerFields(String etag, Instant created, Instant updated) {
        return new IndividualEnrollment(registrationId, deviceId, attestation, iotHubHostName, iotHubs, initialTwin,
                provisioningStatus, allocationPolicy, customAllocationDefinition, reprovisionPolicy, iotEdge,
                optionalDeviceInformation, etag, created, updated, source);
    }

    /** The same enrollment naming its hubs differently: the config file resolves hub names to host names. */
    public IndividualEnrollment withHubs(String iotHubHostName, List<String> iotHubs) {
        return new IndividualEnrollment(registrationId, deviceId, attestation, iotHubHostName, iotHubs, initialTwin,
                provisioningStatus, allocationPolicy, customAllocationDefinition, reprovisionPolicy, iotEdge,
                optionalDeviceInformation, etag, createdDateTimeUtc, lastUpdatedDateTimeUtc, source);
    }

    /** The device id on the hub: the desired {@code deviceId} if set, else the registration id (spec §4.1). */
    public String effectiveDeviceId() {
        return deviceId == null || deviceId.isBlank() ? registrationId : deviceId;
    }
}
