package io.onramp.certs.tpm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * RSAES-OAEP with SHA-256 and MGF1-SHA-256 as a TPM decrypts secrets (TPM 2.0 Part 1, B.10.3): the label is the
 * ASCII text followed by one zero byte, e.g. {@code "IDENTITY\0"} for a credential and {@code "DUPLICATE\0"} for a
 * duplication seed.
 *
 * <p>The JDK's own provider, not BouncyCastle's lightweight RSA: BouncyCastle checks every modulus it has not seen
 * before with Miller-Rabin rounds, about 6 ms per device, since each device's EK and SRK are new to it. The key
 * was parsed and checked by {@link TpmPublicArea} already.
 */
final class OaepEncryptor {

    private static final String SUN_JCE = "SunJCE";

    private OaepEncryptor() {
    }

    static byte[] encrypt(RSAPublicKey key, String label, byte[] secret, SecureRandom random) {
        byte[] labelZ = Arrays.copyOf(label.getBytes(StandardCharsets.US_ASCII), label.length() + 1);
        try {
            Cipher rsa = Cipher.getInstance("RSA/ECB/OAEPPadding", SUN_JCE);
            rsa.init(Cipher.ENCRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                    new PSource.PSpecified(labelZ)), random);
            return rsa.doFinal(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("secret of " + secret.length + " bytes does not fit RSA-OAEP", e);
        }
    }
}
