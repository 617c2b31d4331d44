package io.onramp.certs.x509;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which CA certificates were verified as signed by which issuer key. Every device of a
 * group sends the same intermediate, so its signature need only be checked once; leaves are
 * distinct per device and are never cached. Only successes are kept, keyed by digests of the
 * signed certificate and the issuer key, so an entry can never vouch for different bytes. So per
 * device only the leaf's signature is verified, by {@link EcdsaCertificateSignatures} when it is
 * ECDSA (the issuer key decoded once), else by the JDK.
 */
final class SignatureCache {

    private static final HexFormat HEX = HexFormat.of();

    private final int capacity;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();
    private final EcdsaCertificateSignatures ecdsa;

    SignatureCache(int capacity) {
        this.capacity = capacity;
        this.ecdsa = new EcdsaCertificateSignatures(capacity);
    }

    boolean verifies(X509Certificate certificate, X509Certificate issuer) {
        boolean cacheable = capacity > 0 && certificate.getBasicConstraints() >= 0;
        String key = cacheable ? key(certificate, issuer) : null;
        if (key != null && verified.containsKey(key)) {
            return true;
        }
        if (!signatureHolds(certificate, issuer)) {
            return false;
        }
        if (key != null) {
            if (verified.size() >= capacity) {
                // Crude but bounded: a gateway sees a handful of intermediates, so this rarely happens.
                verified.clear();
            }
            verified.put(key, Boolean.TRUE);
        }
        return true;
    }

    /** ECDSA (what nearly every leaf carries) by the faster path, anything else by the JDK. */
    private boolean signatureHolds(X509Certificate certificate, X509Certificate issuer) {
        switch (ecdsa.verify(certificate, issuer.getPublicKey())) {
            case VALID:
                return true;
            case INVALID:
                return false;
            default:
                try {
                    certificate.verify(issuer.getPublicKey());
                    return true;
                } catch (GeneralSecurityException | RuntimeException e) {
                    return false;
                }
        }
    }

    int size() {
        return verified.size();
    }

    private static String key(X509Certificate certificate, X509Certificate issuer) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            String subject = HEX.formatHex(sha256.digest(certificate.getEncoded()));
            return subject + HEX.formatHex(sha256.digest(issuer.getPublicKey().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
