package io.onramp.certs.x509;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;

/**
 * Whether a private key is the one of a certificate. A TLS server given a key of another certificate
 * starts, then fails every handshake (alert 80): a config check must catch that before it listens.
 * Signing a fixed text and verifying it with the certificate's key works alike for RSA, EC and EdDSA.
 */
public final class KeyOwnership {

    private static final byte[] PROBE = "onramp key ownership probe".getBytes(StandardCharsets.US_ASCII);

    private KeyOwnership() {
    }

    public static boolean belongsTo(PrivateKey key, X509Certificate certificate) {
        return matches(key, certificate.getPublicKey());
    }

    /** Whether the two keys are one key pair. */
    public static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (!sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
            return false;
        }
        try {
            String algorithm = signatureAlgorithm(key);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A key the certificate's key cannot check (other curve, other size) is not its key.
            return false;
        }
    }

    private static boolean sameFamily(String keyAlgorithm, String publicAlgorithm) {
        return keyAlgorithm.equalsIgnoreCase(publicAlgorithm) || isEdDsa(keyAlgorithm) && isEdDsa(publicAlgorithm)
                || isEc(keyAlgorithm) && isEc(publicAlgorithm);
    }

    /** The JDK names an EC key "EC", BouncyCastle (when a library installed it first) "ECDSA". */
    private static boolean isEc(String algorithm) {
        return algorithm.equalsIgnoreCase("EC") || algorithm.equalsIgnoreCase("ECDSA");
    }

    private static boolean isEdDsa(String algorithm) {
        return algorithm.equalsIgnoreCase("EdDSA") || algorithm.equalsIgnoreCase("Ed25519")
                || algorithm.equalsIgnoreCase("Ed448");
    }

    private static String signatureAlgorithm(PrivateKey key) {
        String algorithm = key.getAlgorithm();
        if (algorithm.equalsIgnoreCase("RSA")) {
            return "SHA256withRSA";
        }
        if (isEc(algorithm)) {
            return "SHA256withECDSA";
        }
        return algorithm; // EdDSA, Ed25519, Ed448, RSASSA-PSS (with its parameters from the key)
    }
}
