package io.onramp.policy.enrollment;

/**
 * TPM attestation (spec §4.4): the device's endorsement key (Base64 TPM2B_PUBLIC), and optionally
 * its storage root key. Both are public keys, so reads return them.
 */
public record TpmAttestation(String endorsementKey, String storageRootKey) implements Attestation {

    /** The wire value of {@code attestation.type} for this mechanism. */
    public static final String TYPE = "tpm";

    public TpmAttestation {
        if (endorsementKey == null || endorsementKey.isBlank()) {
            throw new IllegalArgumentException("attestation.tpm.endorsementKey: required");
        }
        if (storageRootKey != null && storageRootKey.isBlank()) {
            storageRootKey = null;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
