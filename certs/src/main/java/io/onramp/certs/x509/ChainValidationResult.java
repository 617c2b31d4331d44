package io.onramp.certs.x509;

import io.onramp.certs.error.CertsException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The verdict of {@link ChainValidator}: a trusted path, or a refusal with its cause for the log. */
public sealed interface ChainValidationResult {

    /**
     * The only thing a device is ever told, whatever the cause (dps-device-protocol §2.6,
     * STYLE.md 4): which check failed stays in the log.
     */
    String PUBLIC_MESSAGE = "Unauthorized";

    boolean isTrusted();

    /**
     * @param path the leaf first, then each issuer, ending with {@code anchor}'s certificate
     *     (a single entry when the leaf itself is the trusted certificate)
     */
    record Trusted(List<X509Certificate> path, TrustedCa anchor) implements ChainValidationResult {

        public Trusted {
            path = List.copyOf(path);
            Objects.requireNonNull(anchor, "anchor");
        }

        @Override
        public boolean isTrusted() {
            return true;
        }

        public X509Certificate leaf() {
            return path.get(0);
        }

        /** The leaf's one subject CN, which the caller compares with the registration or device ID. */
        public Optional<String> leafCommonName() {
            return SubjectNames.commonName(leaf());
        }
    }

    /**
     * @param certificate the certificate the check failed on, when there is one
     * @param detail for the log: which certificate and why, never for the device
     */
    record Refused(ChainFailure failure, String detail, X509Certificate certificate) implements ChainValidationResult {

        public Refused {
            Objects.requireNonNull(failure, "failure");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public boolean isTrusted() {
            return false;
        }

        /** One line for the log: {@code BAD_SIGNATURE: CN=dev-1 is not signed by ...}. */
        public String logMessage() {
            return failure + ": " + detail;
        }

        public CertsException toException() {
            return new CertsException(failure.reason(), logMessage());
        }
    }
}
