package io.onramp.certs.tpm;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Builds the {@code authenticationKey} blob of a TPM challenge (spec §5.2, §5.4): an HMAC identity key holding
 * {@code hmacKey}, duplicated to the device's SRK under an inner AES key, and that inner key sent as a credential
 * only the EK can activate. A device that imports the key proves it holds the EK; from then on it signs its SAS
 * tokens with {@code hmacKey} inside the TPM.
 *
 * <p>The six items, each marshalled with its size and concatenated: {@code TPM2B_ID_OBJECT},
 * {@code TPM2B_ENCRYPTED_SECRET} (to the EK), {@code TPM2B_PRIVATE}, {@code TPM2B_ENCRYPTED_SECRET} (to the SRK),
 * {@code TPM2B_PUBLIC} of the identity key, {@code TPM2B_DATA} (encUriData, §5.5). Stateless and thread-safe; two RSA
 * encryptions make it cost milliseconds (about 2 ms on a busy 2-core machine), so keep it off event loops.
 */
public final class IdentityKeyChallenge {

    /** Largest TPM_HMAC key the TPM stores (MAX_SYM_DATA of the reference implementation). */
    static final int MAX_HMAC_KEY_BYTES = 128;
    /** The Java SDK decrypts encUriData in one TPM2_EncryptDecrypt, whose buffer is at most 1024 bytes. */
    static final int MAX_ENC_URI_BYTES = 1024;
    /** The C SDK imports with a fixed AES-128 inner symmetric definition (§5.4 step 4). */
    static final int INNER_KEY_BYTES = 16;

    private IdentityKeyChallenge() {
    }

    /**
     * @param endorsementKey  the device's EK, to which the inner key is sent as a credential
     * @param storageRootKey  the device's SRK, under which the identity key is imported
     * @param hmacKey         the identity key (32 random bytes per §5.4; at most 128); becomes the device's symmetric key
     * @param encUriPlaintext encUriData before encryption with the inner key (e.g. the hub host name; may be empty)
     * @param random          source of the seeds and the inner key
     * @return the blob; base64 of it is the {@code authenticationKey}
     * @throws IllegalArgumentException if {@code hmacKey} is empty or too long, or {@code encUriPlaintext} too long
     */
    public static byte[] build(TpmPublicArea endorsementKey, TpmPublicArea storageRootKey, byte[] hmacKey,
            byte[] encUriPlaintext, SecureRandom random) {
        Objects.requireNonNull(endorsementKey, "endorsementKey");
        Objects.requireNonNull(storageRootKey, "storageRootKey");
        Objects.requireNonNull(hmacKey, "hmacKey");
        Objects.requireNonNull(encUriPlaintext, "encUriPlaintext");
        Objects.requireNonNull(random, "random");
        if (hmacKey.length == 0 || hmacKey.length > MAX_HMAC_KEY_BYTES) {
            throw new IllegalArgumentException("hmacKey has " + hmacKey.length + " bytes, not 1 to "
                    + MAX_HMAC_KEY_BYTES);
        }
        if (encUriPlaintext.length > MAX_ENC_URI_BYTES) {
            throw new IllegalArgumentException("encUriData of " + encUriPlaintext.length + " bytes exceeds "
                    + MAX_ENC_URI_BYTES);
        }
        HmacIdentityKey identityKey = new HmacIdentityKey(hmacKey, randomBytes(random, TpmConstants.SHA256_SIZE));
        byte[] innerKey = randomBytes(random, INNER_KEY_BYTES);

        KeyDuplicator.Duplicate duplicate = KeyDuplicator.duplicate(identityKey, innerKey, storageRootKey, random);
        CredentialMaker.Credential credential = CredentialMaker.make(endorsementKey, storageRootKey.name(), innerKey,
                random);
        byte[] encUri = encUriPlaintext.length == 0 ? encUriPlaintext : AesCfb.encrypt(innerKey, encUriPlaintext);

        return new TpmWriter()
                .bytes(credential.tpm2bIdObject())
                .bytes(credential.tpm2bEncryptedSecret())
                .bytes(duplicate.tpm2bPrivate())
                .bytes(duplicate.tpm2bEncryptedSeed())
                .tpm2b(identityKey.publicArea())
                .tpm2b(encUri)
                .toByteArray();
    }

    private static byte[] randomBytes(SecureRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
