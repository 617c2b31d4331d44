package io.onramp.gateway.provisioning;

import io.onramp.policy.enrollment.Enrollment;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A device whose proof checked out: the enrollment it matched and the keys it may use at the hub
 * (the individual enrollment's keys, or the keys derived from its group's), primary first; for an
 * X.509 device no keys but {@code x509}, what the hub needs to recognise its certificate. A TPM device's one key
 * is the identity key its TPM imported, with {@code tpm} saying which EK it was given to.
 */
public record AttestedDevice(String registrationId, Enrollment enrollment, EnrollmentRef enrollmentRef,
        List<String> deviceKeys, X509Identity x509, TpmIdentity tpm) {

    /** Marks an operation's proof as an X.509 leaf thumbprint rather than a symmetric key. */
    static final String X509_PROOF = "x509:";

    public AttestedDevice {
        deviceKeys = List.copyOf(deviceKeys);
    }

    public AttestedDevice(String registrationId, Enrollment enrollment, EnrollmentRef enrollmentRef,
            List<String> deviceKeys) {
        this(registrationId, enrollment, enrollmentRef, deviceKeys, null, null);
    }

    public AttestedDevice(String registrationId, Enrollment enrollment, EnrollmentRef enrollmentRef,
            List<String> deviceKeys, X509Identity x509) {
        this(registrationId, enrollment, enrollmentRef, deviceKeys, x509, null);
    }

    /**
     * What a poll of this device's operation must prove again: one of the keys, or for X.509 the
     * same leaf certificate.
     */
    public List<String> proof() {
        return x509 == null ? deviceKeys : List.of(X509_PROOF + x509.leafThumbprint());
    }

    /**
     * @param leafThumbprint SHA-256 thumbprint of the certificate the device presented
     * @param primaryThumbprint the individual enrollment's certificates (self-signed at the hub), or null
     * @param certificateAuthority true when the hub must validate a chain (group enrollments)
     * @param leaf the device certificate, for {@code registrationState.x509.certificateInfo}
     * @param signing the group's certificate the chain ended at, or null for an individual enrollment
     */
    public record X509Identity(String leafThumbprint, String primaryThumbprint, String secondaryThumbprint,
            boolean certificateAuthority, X509Certificate leaf, X509Certificate signing) {}

    /**
     * @param endorsementKeyName hex of the TPM Name of the device's EK, kept with the registration so that only the
     *     same EK is given the same identity key again
     * @param authenticationKey base64 blob carrying the identity key again, for the assigned result (spec 5.6)
     */
    public record TpmIdentity(String endorsementKeyName, String authenticationKey) {}
}
