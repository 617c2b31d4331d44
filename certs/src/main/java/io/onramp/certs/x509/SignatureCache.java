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
 * signed certificate and the issuer key, so an entry can never vouch for different bytes.
 */
final class SignatureCache {

    private static final HexFormat HEX = HexFormat.of();

    private final int capacity;
    private final Map<String, Boolean> verified = new ConcurrentHashMap<>();

    SignatureCache(int capacity) {
        this.capacity = capacity;
    }

    boolean verifies(X509Certificate certificate, X509Certificate issuer) {
        boolean cacheable = capacity > 0 && certificate.getBasicConstraints() >= 0;
        String key = cacheable ? key(certificate, issuer) : null;
        if (key != null && verified.containsKey(key)) {
            return true;
        }
        try {
            certificate.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
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
