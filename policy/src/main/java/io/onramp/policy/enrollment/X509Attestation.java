package io.onramp.policy.enrollment;

/**
 * X.509 attestation (spec §4.4): exactly one kind of reference, with a primary and an optional
 * secondary. Certificates are kept as the PEM text the client sent; the gateway parses them (for
 * validation and the {@code info} block), this record only holds them.
 *
 * @param kind      which member of {@code x509} this is
 * @param primary   PEM certificate, or a CA name for {@link Kind#CA_REFERENCES}; required
 * @param secondary the same, or null when absent
 */
public record X509Attestation(Kind kind, String primary, String secondary) implements Attestation {

    /** The wire value of {@code attestation.type} for this mechanism. */
    public static final String TYPE = "x509";

    /** The members of {@code attestation.x509}, by wire name. */
    public enum Kind {
        /** Individual enrollments: the device's own certificate. */
        CLIENT_CERTIFICATES("clientCertificates"),
        /** Groups: a root or intermediate the device chain must contain. */
        SIGNING_CERTIFICATES("signingCertificates"),
        /** Groups: names of CA certificates registered with the service. */
        CA_REFERENCES("caReferences");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public boolean holdsCertificates() {
            return this != CA_REFERENCES;
        }
    }

    public X509Attestation {
        if (kind == null) {
            throw new IllegalArgumentException("attestation.x509: give one of clientCertificates, signingCertificates, caReferences");
        }
        if (primary == null || primary.isBlank()) {
            throw new IllegalArgumentException("attestation.x509." + kind.wireName() + ".primary: required");
        }
        if (secondary != null && secondary.isBlank()) {
            secondary = null;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }
}
