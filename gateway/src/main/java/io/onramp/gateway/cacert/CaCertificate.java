package io.onramp.gateway.cacert;

import io.onramp.policy.enrollment.EnrollmentSource;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A CA certificate registered with the service (dps-service-api §11.1): a root or intermediate
 * that X.509 enrollment groups may name in {@code caReferences} once it is verified.
 *
 * @param source           CONFIG for certificates from the config file (read-only through the API)
 * @param verificationCode the outstanding proof-of-possession code, or null
 * @param codeExpires      when that code stops being accepted, or null
 */
public record CaCertificate(String name, EnrollmentSource source, X509Certificate certificate, boolean verified,
        String etag, Instant created, Instant updated, String verificationCode, Instant codeExpires) {

    public CaCertificate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(etag, "etag");
    }

    /** Whether {@link #verificationCode} may still be used at {@code now}. */
    public boolean codeUsableAt(Instant now) {
        return verificationCode != null && codeExpires != null && now.isBefore(codeExpires);
    }
}
