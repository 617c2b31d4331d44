package io.onramp.policy.enrollment;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import java.util.List;

/** Validation and normalisation shared by the enrollment records' constructors. */
final class EnrollmentFields {

    private EnrollmentFields() {
    }

    static void requireValidId(String id, String field) {
        // The rejected value is not echoed: it is untrusted input that may be huge or hold control characters.
        if (!RegistrationIds.isValid(id)) {
            throw new IllegalArgumentException(field + ": must be 1-" + RegistrationIds.MAX_LENGTH
                    + " characters from A-Z a-z 0-9 . _ : - and end with a letter, digit or '-'");
        }
    }

    static Attestation requireAttestation(Attestation attestation) {
        if (attestation == null) {
            throw new IllegalArgumentException("attestation: required");
        }
        return attestation;
    }

    /** The service API defaults an absent status to enabled. */
    static ProvisioningStatus statusOrDefault(ProvisioningStatus status) {
        return status == null ? ProvisioningStatus.ENABLED : status;
    }

    static ReprovisionPolicy reprovisionOrDefault(ReprovisionPolicy policy) {
        return policy == null ? ReprovisionPolicy.DEFAULT : policy;
    }

    static InitialTwin twinOrEmpty(InitialTwin twin) {
        return twin == null ? InitialTwin.EMPTY : twin;
    }

    static List<String> copyHubs(List<String> hubs) {
        if (hubs == null) {
            return List.of();
        }
        for (String hub : hubs) {
            if (hub == null || hub.isBlank()) {
                throw new IllegalArgumentException("iotHubs: entries must be non-blank host names");
            }
        }
        return List.copyOf(hubs);
    }

    /** Spec 4.7: a custom allocation has nobody to ask without its webhook. */
    static void requireDefinitionForCustom(AllocationPolicyKind policy, CustomAllocationDefinition definition) {
        if (policy == AllocationPolicyKind.CUSTOM && definition == null) {
            throw new IllegalArgumentException("customAllocationDefinition: required when allocationPolicy is 'custom'");
        }
    }

    static EnrollmentSource requireSource(EnrollmentSource source) {
        // No default on purpose: guessing API would make a config-file enrollment editable through the API.
        if (source == null) {
            throw new IllegalArgumentException("source: required");
        }
        return source;
    }
}
