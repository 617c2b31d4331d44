package io.onramp.certs.tpm;

import static io.onramp.certs.tpm.TpmConstants.ALG_AES;
import static io.onramp.certs.tpm.TpmConstants.ALG_CFB;
import static io.onramp.certs.tpm.TpmConstants.ALG_KEYEDHASH;
import static io.onramp.certs.tpm.TpmConstants.ALG_NULL;
import static io.onramp.certs.tpm.TpmConstants.ALG_RSA;
import static io.onramp.certs.tpm.TpmConstants.ALG_SHA256;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * The device side of a TPM identity-key challenge done in software: TPM2_ActivateCredential with the EK, then
 * TPM2_Import under the SRK of the {@code authenticationKey} blob {@link IdentityKeyChallenge#build} makes (spec §5.2
 * to §5.5; TPM 2.0 Part 1, 23.3.2.2 and 24), for whoever holds the private halves of the EK and SRK: tests, benches
 * and tools that simulate a device. Not a TPM: nothing is protected, only the arithmetic is the same, and every
 * integrity check the TPM makes fails here too, with a message that says which one. No networking; stateless and
 * thread-safe. A real TPM (swtpm in the certs tests) remains the authoritative check.
 *
 * <p>{@link #storageKeyPublic} gives the {@code TPM2B_PUBLIC} such a device sends for its RSA EK and SRK.
 */
public final class SoftwareActivation {

    /** objectAttributes of the SDK templates (spec §5.1): the EK's, with adminWithPolicy, and the SRK's. */
    private static final int EK_ATTRIBUTES = 0x000300B2;
    private static final int SRK_ATTRIBUTES = 0x00030472;
    /** PolicySecret(TPM_RH_ENDORSEMENT), the EK template's authPolicy ("policy A", TCG EK Credential Profile). */
    private static final byte[] EK_POLICY_A =
            HexFormat.of().parseHex("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa");
    private static final int STORAGE_SYMMETRIC_BITS = 128;

    /** What the device recovers: the inner (credential) key, the identity HMAC key and encUriData in clear. */
    public record Result(byte[] innerKey, byte[] hmacKey, byte[] encUriPlaintext) {
    }

    private SoftwareActivation() {
    }

    /**
     * @param blob             the {@code authenticationKey}, base64-decoded: six TPM2B items (spec §5.2)
     * @param ek               the EK's private key, which decrypts the credential seed
     * @param ekSymmetricBits  AES key size of the EK's symmetric definition ({@link TpmPublicArea#symmetricKeyBits()})
     * @param srk              the SRK's private key, which decrypts the duplication seed
     * @param srkName          the SRK's Name ({@link TpmPublicArea#name()}), to which the credential is bound
     * @param srkSymmetricBits AES key size of the SRK's symmetric definition
     * @throws GeneralSecurityException if the blob is malformed, a seed does not decrypt, or an integrity check fails
     */
    public static Result activate(byte[] blob, PrivateKey ek, int ekSymmetricBits, PrivateKey srk, byte[] srkName,
            int srkSymmetricBits) throws GeneralSecurityException {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(srkName, "srkName");
        try {
            TpmReader items = new TpmReader(blob, "authenticationKey");
            byte[] idObject = items.tpm2b("TPM2B_ID_OBJECT");
            byte[] encryptedCredentialSeed = items.tpm2b("TPM2B_ENCRYPTED_SECRET (EK)");
            byte[] duplicate = items.tpm2b("TPM2B_PRIVATE");
            byte[] encryptedDuplicationSeed = items.tpm2b("TPM2B_ENCRYPTED_SECRET (SRK)");
            byte[] identityPublic = items.tpm2b("TPM2B_PUBLIC");
            byte[] encUri = items.tpm2b("TPM2B_DATA");
            items.requireEnd();

            // ActivateCredential(SRK, EK): the credential is bound to the SRK's name.
            byte[] credSeed = oaepDecrypt(ek, "IDENTITY", encryptedCredentialSeed);
            byte[] encIdentity = checkedPayload(credSeed, idObject, srkName, "credential integrity");
            byte[] symKey3 = Kdfa.sha256(credSeed, "STORAGE", srkName, new byte[0], ekSymmetricBits);
            TpmReader identity = new TpmReader(cfbDecrypt(symKey3, encIdentity), "credential");
            byte[] innerKey = identity.tpm2b("TPM2B_DIGEST");
            identity.requireEnd();

            // Import(SRK, innerKey, public, duplicate, seed).
            byte[] name = TpmNames.sha256Name(identityPublic);
            byte[] dupSeed = oaepDecrypt(srk, "DUPLICATE", encryptedDuplicationSeed);
            byte[] dupSensitive = checkedPayload(dupSeed, duplicate, name, "outer integrity");
            byte[] symKey = Kdfa.sha256(dupSeed, "STORAGE", name, new byte[0], srkSymmetricBits);
            TpmReader inner = new TpmReader(cfbDecrypt(innerKey, cfbDecrypt(symKey, dupSensitive)), "duplicate");
            byte[] innerIntegrity = inner.tpm2b("innerIntegrity");
            byte[] sensitive2b = inner.take(inner.remaining(), "TPM2B_SENSITIVE");
            require(MessageDigest.isEqual(innerIntegrity, Sha256.digest(sensitive2b, name)), "inner integrity");

            TpmReader sensitive2bReader = new TpmReader(sensitive2b, "TPM2B_SENSITIVE");
            TpmReader sensitive = new TpmReader(sensitive2bReader.tpm2b("sensitiveArea"), "TPMT_SENSITIVE");
            sensitive2bReader.requireEnd();
            require(sensitive.u16("sensitiveType") == ALG_KEYEDHASH, "KEYEDHASH sensitive");
            require(sensitive.tpm2b("authValue").length == 0, "empty authValue");
            byte[] seedValue = sensitive.tpm2b("seedValue");
            byte[] hmacKey = sensitive.tpm2b("sensitive");
            sensitive.requireEnd();
            // The public area's unique must commit to this key (Part 1, 27.2.4).
            require(MessageDigest.isEqual(unique(identityPublic), Sha256.digest(seedValue, hmacKey)),
                    "unique = H(seedValue || key)");

            return new Result(innerKey, hmacKey, cfbDecrypt(innerKey, encUri));
        } catch (TpmFormatException e) {
            throw new GeneralSecurityException("software activation failed: " + e.getMessage(), e);
        }
    }

    /**
     * {@code TPM2B_PUBLIC} of an RSA storage key with the SDK templates' fields (spec §5.1): the EK's attributes and
     * policy A, or the SRK's; AES-128-CFB, NULL scheme, exponent 0 (65537). {@link TpmPublicArea#parse} accepts it.
     *
     * @param endorsementKey true for the EK template, false for the SRK template
     */
    public static byte[] storageKeyPublic(RSAPublicKey key, boolean endorsementKey) {
        byte[] modulus = key.getModulus().toByteArray();
        if (modulus[0] == 0) {
            modulus = Arrays.copyOfRange(modulus, 1, modulus.length);
        }
        if (!key.getPublicExponent().equals(BigInteger.valueOf(65537))) {
            throw new IllegalArgumentException("the templates' exponent is 65537, not " + key.getPublicExponent());
        }
        return TpmWriter.sized(new TpmWriter()
                .u16(ALG_RSA)
                .u16(ALG_SHA256) // nameAlg
                .u32(endorsementKey ? EK_ATTRIBUTES : SRK_ATTRIBUTES)
                .tpm2b(endorsementKey ? EK_POLICY_A : new byte[0])
                .u16(ALG_AES)
                .u16(STORAGE_SYMMETRIC_BITS)
                .u16(ALG_CFB)
                .u16(ALG_NULL) // scheme
                .u16(key.getModulus().bitLength())
                .u32(0) // exponent: the default, 65537
                .tpm2b(modulus)
                .toByteArray());
    }

    /** AES-CFB decryption with a zero IV, as the TPM unwraps credentials, duplicates and encUriData. */
    static byte[] cfbDecrypt(byte[] key, byte[] data) throws GeneralSecurityException {
        if (data.length == 0) {
            return data;
        }
        Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
        cfb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return cfb.doFinal(data);
    }

    /**
     * An ID object or a duplicate: TPM2B(HMAC) then the encrypted part, the HMAC keyed by KDFa(seed, "INTEGRITY")
     * over the encrypted part and the bound name. Returns the encrypted part once the HMAC matches.
     */
    private static byte[] checkedPayload(byte[] seed, byte[] item, byte[] name, String what)
            throws GeneralSecurityException, TpmFormatException {
        TpmReader in = new TpmReader(item, what);
        byte[] integrity = in.tpm2b("integrityHMAC");
        byte[] payload = in.take(in.remaining(), "encrypted part");
        byte[] hmacKey = Kdfa.sha256(seed, "INTEGRITY", new byte[0], new byte[0], 256);
        require(MessageDigest.isEqual(integrity, Sha256.hmac(hmacKey, payload, name)), what);
        return payload;
    }

    /** RSAES-OAEP-SHA256 decryption with the TPM's label convention (Part 1, B.10.3): the text, then one zero. */
    private static byte[] oaepDecrypt(PrivateKey key, String label, byte[] data) throws GeneralSecurityException {
        byte[] labelZ = Arrays.copyOf(label.getBytes(StandardCharsets.US_ASCII), label.length() + 1);
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified(labelZ)));
        return oaep.doFinal(data);
    }

    /** The {@code unique} of the identity key's TPMT_PUBLIC (KEYEDHASH: type to scheme, then TPM2B_DIGEST). */
    private static byte[] unique(byte[] identityPublic) throws TpmFormatException {
        TpmReader in = new TpmReader(identityPublic, "identity key TPMT_PUBLIC");
        in.u16("type");
        in.u16("nameAlg");
        in.u32("objectAttributes");
        in.tpm2b("authPolicy");
        in.u16("scheme");
        in.u16("scheme.hashAlg");
        byte[] unique = in.tpm2b("unique");
        in.requireEnd();
        return unique;
    }

    private static void require(boolean condition, String what) throws GeneralSecurityException {
        if (!condition) {
            throw new GeneralSecurityException("software activation failed: " + what);
        }
    }
}
