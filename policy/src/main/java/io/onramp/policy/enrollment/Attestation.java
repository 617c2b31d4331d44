package io.onramp.policy.enrollment;

/**
 * How devices under an enrollment prove their identity (service API {@code AttestationMechanism}).
 * X.509 and TPM mechanisms join the permits list as they are implemented; callers should switch
 * over the sealed hierarchy so the compiler points at every place a new mechanism must be handled.
 */
public sealed interface Attestation permits SymmetricKeyAttestation {

    /** The wire value of {@code attestation.type}, e.g. {@code "symmetricKey"}. */
    String type();
}
