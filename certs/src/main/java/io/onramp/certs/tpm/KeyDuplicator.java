package io.onramp.certs.tpm;

import java.security.SecureRandom;

/**
 * Wraps an object's sensitive area for TPM2_Import under a new parent, as TPM2_Duplicate would with an inner and an
 * outer wrapper (TPM 2.0 Part 1, 23.3.2; spec §5.4 steps 4-5). The inner wrapper is AES-128-CFB with a key the
 * caller delivers separately (in the credential); the outer one is keyed by a random seed encrypted to the parent.
 */
final class KeyDuplicator {

    /** {@code TPM2B_PRIVATE} (the duplicate) and {@code TPM2B_ENCRYPTED_SECRET} (the seed), both marshalled. */
    record Duplicate(byte[] tpm2bPrivate, byte[] tpm2bEncryptedSeed) {
    }

    private KeyDuplicator() {
    }

    static Duplicate duplicate(HmacIdentityKey key, byte[] innerKey, TpmPublicArea newParent, SecureRandom random) {
        byte[] name = key.name();
        byte[] sensitive2b = TpmWriter.sized(key.sensitive());

        byte[] innerIntegrity = Sha256.digest(sensitive2b, name);
        byte[] encInner = AesCfb.encrypt(innerKey,
                new TpmWriter().tpm2b(innerIntegrity).bytes(sensitive2b).toByteArray());

        byte[] seed = new byte[TpmConstants.SHA256_SIZE];
        random.nextBytes(seed);
        byte[] encryptedSeed = OaepEncryptor.encrypt(newParent.rsaPublicKey(), "DUPLICATE", seed, random);
        byte[] symKey = Kdfa.sha256(seed, "STORAGE", name, new byte[0], newParent.symmetricKeyBits());
        byte[] dupSensitive = AesCfb.encrypt(symKey, encInner);
        byte[] hmacKey = Kdfa.sha256(seed, "INTEGRITY", new byte[0], new byte[0], TpmConstants.SHA256_SIZE * 8);
        byte[] outerHmac = Sha256.hmac(hmacKey, dupSensitive, name);

        byte[] duplicate = new TpmWriter().tpm2b(outerHmac).bytes(dupSensitive).toByteArray();
        return new Duplicate(TpmWriter.sized(duplicate), TpmWriter.sized(encryptedSeed));
    }
}
