package io.onramp.certs.x509;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

/**
 * {@code X509CertificateInfo}: what the DPS service API returns instead of a stored certificate
 * (dps-service-api §4.5) and the device API reports in {@code registrationState.x509}
 * (dps-device-protocol §2.3). All eight fields are always filled: the Java SDK rejects a partial one.
 */
public record CertificateInfo(String subjectName, String sha1Thumbprint, String sha256Thumbprint,
        String issuerName, Instant notBeforeUtc, Instant notAfterUtc, String serialNumber, int version) {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    public CertificateInfo {
        Objects.requireNonNull(subjectName, "subjectName");
        Objects.requireNonNull(sha1Thumbprint, "sha1Thumbprint");
        Objects.requireNonNull(sha256Thumbprint, "sha256Thumbprint");
        Objects.requireNonNull(issuerName, "issuerName");
        Objects.requireNonNull(notBeforeUtc, "notBeforeUtc");
        Objects.requireNonNull(notAfterUtc, "notAfterUtc");
        Objects.requireNonNull(serialNumber, "serialNumber");
    }

    public static CertificateInfo of(X509Certificate certificate) {
        return new CertificateInfo(
                // X500Principal.toString() is RFC 4514 order with ", " separators: "CN=dev, O=Contoso, C=DE"
                certificate.getSubjectX500Principal().toString(),
                Thumbprints.sha1(certificate),
                Thumbprints.sha256(certificate),
                certificate.getIssuerX500Principal().toString(),
                certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant(),
                serialNumber(certificate.getSerialNumber()),
                certificate.getVersion());
    }

    /**
     * The serial as .NET's {@code X509Certificate2.SerialNumber} shows it, and so Azure: uppercase hex
     * of the DER integer's bytes, leading zero bytes included ({@code 0CECE4...}, {@code 008A...}).
     * {@code BigInteger.toString(16)} would drop them.
     */
    public static String serialNumber(BigInteger serial) {
        return HEX.formatHex(serial.toByteArray());
    }

    /**
     * The JSON object's fields in spec order, dates as ISO-8601 {@code ...Z} strings and the version
     * as a number; ready for {@code new JsonObject(info.toJsonMap())} without certs knowing Vert.x.
     */
    public Map<String, Object> toJsonMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("subjectName", subjectName);
        json.put("sha1Thumbprint", sha1Thumbprint);
        json.put("sha256Thumbprint", sha256Thumbprint);
        json.put("issuerName", issuerName);
        json.put("notBeforeUtc", notBeforeUtc.toString());
        json.put("notAfterUtc", notAfterUtc.toString());
        json.put("serialNumber", serialNumber);
        json.put("version", version);
        return json;
    }
}
