package io.onramp.certs.x509;

import io.onramp.certs.error.CertsException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Certificate thumbprints: the hex digest of the DER encoding, upper case without separators, as
 * Azure shows them. Hub identities of type selfSigned store one of these (hub spec §2.3).
 */
public final class Thumbprints {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private Thumbprints() {
    }

    /** 40 upper-case hex characters. */
    public static String sha1(X509Certificate certificate) {
        return HEX.formatHex(digest("SHA-1", certificate));
    }

    /** 64 upper-case hex characters. */
    public static String sha256(X509Certificate certificate) {
        return HEX.formatHex(digest("SHA-256", certificate));
    }

    /**
     * Whether {@code thumbprint} is this certificate's SHA-1 or SHA-256 thumbprint, ignoring case
     * and any ':' or space separators (how people paste them). A blank thumbprint matches nothing.
     */
    public static boolean matches(X509Certificate certificate, String thumbprint) {
        if (thumbprint == null) {
            return false;
        }
        String normalised = thumbprint.replace(":", "").replace(" ", "").toUpperCase(Locale.ROOT);
        switch (normalised.length()) {
            case 40:
                return MessageDigest.isEqual(ascii(normalised), ascii(sha1(certificate)));
            case 64:
                return MessageDigest.isEqual(ascii(normalised), ascii(sha256(certificate)));
            default:
                return false;
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] digest(String algorithm, X509Certificate certificate) {
        try {
            return MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide " + algorithm, e);
        } catch (CertificateEncodingException e) {
            throw new CertsException(CertsException.Reason.MALFORMED, "certificate cannot be encoded", e);
        }
    }
}
