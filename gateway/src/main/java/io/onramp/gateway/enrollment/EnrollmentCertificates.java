package io.onramp.gateway.enrollment;

import io.onramp.certs.x509.CertificateInfo;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Certificates inside X.509 enrollments (spec §4.5): one certificate, as PEM or bare Base64 DER,
 * and the {@code info} block the service API returns instead of the PEM.
 */
public final class EnrollmentCertificates {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----");

    private EnrollmentCertificates() {}

    /**
     * Parses exactly one certificate. Keys, CSRs and bundles are refused: an enrollment names one
     * certificate per slot, and a private key has no business in the store.
     *
     * @throws IllegalArgumentException with a message fit for the client
     */
    public static X509Certificate parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        if (trimmed.contains("PRIVATE KEY") || trimmed.contains("CERTIFICATE REQUEST")) {
            throw new IllegalArgumentException("must be a certificate, not a key or a request");
        }
        String base64 = trimmed;
        if (trimmed.startsWith("-----")) {
            Matcher m = PEM.matcher(trimmed);
            if (!m.find()) {
                throw new IllegalArgumentException("is not a PEM certificate");
            }
            base64 = m.group(1);
            if (m.find()) {
                throw new IllegalArgumentException("must hold one certificate, not several");
            }
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not Base64 or PEM");
        }
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("is not a valid X.509 certificate");
        }
    }

    /** X509CertificateInfo, as the service API returns it: the one format the certs module defines. */
    public static JsonObject info(X509Certificate certificate) {
        return new JsonObject(CertificateInfo.of(certificate).toJsonMap());
    }
}
