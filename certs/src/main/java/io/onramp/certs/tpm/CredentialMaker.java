package io.onramp.certs.tpm;

import java.security.SecureRandom;

/**
 * TPM2_MakeCredential done outside the TPM (TPM 2.0 Part 1, 24; spec §5.4 step 6): protects a short credential so
 * that only a TPM holding the private part of {@code encryptionKey} (the EK) can recover it with
 * TPM2_ActivateCredential, and only for the object whose Name is bound in.
 */
final class CredentialMaker {

    /** {@code TPM2B_ID_OBJECT} and {@code TPM2B_ENCRYPTED_SECRET}, both marshalled. */
    record Credential(byte[] tpm2bIdObject, byte[] tpm2bEncryptedSecret) {
    }

    private CredentialMaker() {
    }

    /** @param objectName Name of the object the device activates the credential for (the SRK, §5.4 step 6) */
    static Credential make(TpmPublicArea encryptionKey, byte[] objectName, byte[] credential, SecureRandom random) {
        byte[] seed = new byte[TpmConstants.SHA256_SIZE];
        random.nextBytes(seed);
        byte[] encryptedSeed = OaepEncryptor.encrypt(encryptionKey.rsaPublicKey(), "IDENTITY", seed, random);

        byte[] symKey = Kdfa.sha256(seed, "STORAGE", objectName, new byte[0], encryptionKey.symmetricKeyBits());
        // The credential travels as a TPM2B_DIGEST: its 2-byte size is encrypted too.
        byte[] encIdentity = AesCfb.encrypt(symKey, TpmWriter.sized(credential));
        byte[] hmacKey = Kdfa.sha256(seed, "INTEGRITY", new byte[0], new byte[0], TpmConstants.SHA256_SIZE * 8);
        byte[] integrity = Sha256.hmac(hmacKey, encIdentity, objectName);

        byte[] idObject = new TpmWriter().tpm2b(integrity).bytes(encIdentity).toByteArray();
        return new Credential(TpmWriter.sized(idObject), TpmWriter.sized(encryptedSeed));
    }
}
