package io.onramp.bench.tpm;

import io.onramp.certs.tpm.SoftwareActivation;
import io.onramp.certs.tpm.TpmFormatException;
import io.onramp.certs.tpm.TpmPublicArea;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/**
 * A TPM device's keys and the two TPM commands a DPS registration needs, done in software because the bench holds
 * the private halves: ActivateCredential (EK) and Import (SRK) of an {@code authenticationKey} blob (spec §5.2 to
 * §5.4), giving the identity HMAC key; the arithmetic is certs' {@link SoftwareActivation}. EK and SRK are RSA-2048
 * storage keys with the SDK templates' public areas (spec §5.1), AES-128-CFB. Not a TPM: nothing is protected.
 */
public final class SoftwareTpm {

    private static final int SYMMETRIC_BITS = 128;

    private final KeyPair ek;
    private final KeyPair srk;
    private final byte[] ekPublic;
    private final byte[] srkPublic;
    private final byte[] srkName;

    public SoftwareTpm(KeyPair ek, KeyPair srk) {
        this.ek = ek;
        this.srk = srk;
        this.ekPublic = tpm2bPublic((RSAPublicKey) ek.getPublic(), true);
        this.srkPublic = tpm2bPublic((RSAPublicKey) srk.getPublic(), false);
        try {
            this.srkName = TpmPublicArea.parse(srkPublic).name();
        } catch (TpmFormatException e) {
            throw new IllegalStateException("SRK public area of our own making refused: " + e.getMessage(), e);
        }
    }

    /** A new RSA-2048 key pair (50 to 100 ms of CPU: make them before measuring). */
    public static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64 {@code TPM2B_PUBLIC} of the EK, as the SDKs send and enrollments hold it. */
    public String endorsementKey() {
        return Base64.getEncoder().encodeToString(ekPublic);
    }

    public String storageRootKey() {
        return Base64.getEncoder().encodeToString(srkPublic);
    }

    /** The identity (HMAC) key an {@code authenticationKey} blob carries, as the TPM would import it. */
    public byte[] activate(String authenticationKey) throws GeneralSecurityException {
        byte[] blob = Base64.getDecoder().decode(authenticationKey);
        return SoftwareActivation.activate(blob, ek.getPrivate(), SYMMETRIC_BITS, srk.getPrivate(), srkName,
                SYMMETRIC_BITS).hmacKey();
    }

    /** {@code TPM2B_PUBLIC} of an RSA-2048 EK or SRK with the SDK templates' fields (spec §5.1). */
    public static byte[] tpm2bPublic(RSAPublicKey key, boolean endorsementKey) {
        return SoftwareActivation.storageKeyPublic(key, endorsementKey);
    }
}
