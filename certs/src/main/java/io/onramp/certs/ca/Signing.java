package io.onramp.certs.ca;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;

/** Which signature algorithm goes with a key, and whether a private key belongs to a certificate. */
final class Signing {

    private static final byte[] PROBE = "onramp key-pair probe".getBytes(StandardCharsets.US_ASCII);

    private Signing() {
    }

    static String algorithmFor(Key key) {
        switch (key.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "RSA":
                return "SHA256withRSA";
            default:
                throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        }
    }

    /** A signature round trip: the only check that works the same for every key type. */
    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        try {
            String algorithm = algorithmFor(privateKey);
            if (!algorithm.equals(algorithmFor(publicKey))) {
                return false;
            }
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
