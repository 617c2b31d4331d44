package io.onramp.gateway.provisioning;

import io.onramp.gateway.enrollment.EnrollmentCertificates;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed enrollment certificates by their PEM text, so that attesting a device does not parse the
 * same group certificate on every registration. Bounded crudely: emptied when it grows too big.
 */
public final class EnrollmentCertificateCache {

    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, Optional<X509Certificate>> parsed = new ConcurrentHashMap<>();

    /** The certificate, or empty when the text is absent or not a certificate (validated at enrollment). */
    public Optional<X509Certificate> certificate(String pem) {
        if (pem == null || pem.isBlank()) {
            return Optional.empty();
        }
        if (parsed.size() > MAX_ENTRIES) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(pem, text -> {
            try {
                return Optional.of(EnrollmentCertificates.parse(text));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }
}
