package io.onramp.certs.ca;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Locale;

/** Key types the CA tooling generates. ECDSA P-256 is the default: small, fast, and what DPS devices commonly carry. */
public enum KeyAlgorithm {
    EC_P256,
    RSA_2048,
    RSA_3072;

    public static final KeyAlgorithm DEFAULT = EC_P256;

    /** A fresh key pair from the JDK's own providers, so the private key exports as PKCS#8. */
    public KeyPair generate() {
        try {
            if (this == EC_P256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
                generator.initialize(new ECGenParameterSpec("secp256r1"), CertificateAuthority.RANDOM);
                return generator.generateKeyPair();
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(this == RSA_2048 ? 2048 : 3072, CertificateAuthority.RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime must provide " + this, e);
        }
    }

    /** {@code ec}, {@code rsa} (2048 bits) or {@code rsa3072}, as typed on a command line. */
    public static KeyAlgorithm parse(String text) {
        switch (text.toLowerCase(Locale.ROOT)) {
            case "ec":
            case "ec-p256":
            case "p256":
                return EC_P256;
            case "rsa":
            case "rsa2048":
                return RSA_2048;
            case "rsa3072":
                return RSA_3072;
            default:
                throw new IllegalArgumentException("unknown key type '" + text + "' (use ec, rsa or rsa3072)");
        }
    }
}
