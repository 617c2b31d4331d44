package io.onramp.policy.enrollment;

/**
 * How devices under an enrollment prove their identity (service API {@code AttestationMechanism}).
 * Callers should switch over the sealed hierarchy so the compiler points at every place a new
 * mechanism must be handled. X.509 and TPM enrollments are stored and served by the service API;
 * device attestation with them is the provisioning core's business.
 */
public sealed interface Attestation permits SymmetricKeyAttestation, X509Attestation, TpmAttestation {

    /** The wire value of {@code attestation.type}, e.g. {@code "symmetricKey"}. */
    String type();
}
