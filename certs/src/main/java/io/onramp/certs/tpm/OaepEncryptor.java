package io.onramp.certs.tpm;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.encodings.OAEPEncoding;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * RSAES-OAEP with SHA-256 and MGF1-SHA-256 as a TPM decrypts secrets (TPM 2.0 Part 1, B.10.3): the label is the
 * ASCII text followed by one zero byte, e.g. {@code "IDENTITY\0"} for a credential and {@code "DUPLICATE\0"} for a
 * duplication seed.
 */
final class OaepEncryptor {

    private OaepEncryptor() {
    }

    static byte[] encrypt(RSAPublicKey key, String label, byte[] secret, SecureRandom random) {
        byte[] labelZ = Arrays.copyOf(label.getBytes(StandardCharsets.US_ASCII), label.length() + 1);
        OAEPEncoding oaep = new OAEPEncoding(new RSAEngine(), new SHA256Digest(), new SHA256Digest(), labelZ);
        oaep.init(true, new ParametersWithRandom(
                new RSAKeyParameters(false, key.getModulus(), key.getPublicExponent()), random));
        try {
            return oaep.processBlock(secret, 0, secret.length);
        } catch (InvalidCipherTextException e) {
            throw new IllegalArgumentException("secret of " + secret.length + " bytes does not fit RSA-OAEP", e);
        }
    }
}
