package io.onramp.bench.tpm;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * A TPM device's keys and the two TPM commands a DPS registration needs, done in software with the JDK's ciphers
 * because the bench holds the private halves: ActivateCredential (EK) and Import (SRK) of an
 * {@code authenticationKey} blob (spec §5.2 to §5.4; TPM 2.0 Part 1, 23.3.2.2 and 24), giving the identity HMAC
 * key. EK and SRK are RSA-2048 storage keys with the SDK templates' public areas (spec §5.1), AES-128-CFB.
 * Not a TPM: nothing is protected, only the arithmetic is the same.
 */
public final class SoftwareTpm {

    private static final byte[] EK_POLICY_A =
            unsigned(new BigInteger("837197674484b3f81a90cc8d46a5d724fd52d76e06520b64f2a1da1b331469aa", 16));
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
        this.srkName = concat(new byte[] {0x00, 0x0B}, sha256(Arrays.copyOfRange(srkPublic, 2, srkPublic.length)));
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
        ByteBuffer blob = ByteBuffer.wrap(Base64.getDecoder().decode(authenticationKey));
        byte[] idObject = tpm2b(blob);
        byte[] encryptedCredentialSeed = tpm2b(blob);
        byte[] duplicate = tpm2b(blob);
        byte[] encryptedDuplicationSeed = tpm2b(blob);
        byte[] identityPublic = tpm2b(blob);
        tpm2b(blob); // encUriData: not needed for the key
        require(!blob.hasRemaining(), "six items");

        // ActivateCredential(SRK, EK): the credential is bound to the SRK's name.
        byte[] credSeed = oaepDecrypt(ek.getPrivate(), "IDENTITY\0", encryptedCredentialSeed);
        byte[] encIdentity = checkedPayload(credSeed, idObject, srkName, "credential integrity");
        byte[] innerKey = tpm2b(ByteBuffer.wrap(cfbDecrypt(kdfa(credSeed, "STORAGE", srkName, SYMMETRIC_BITS),
                encIdentity)));

        // Import(SRK, innerKey, public, duplicate, seed).
        byte[] name = concat(new byte[] {0x00, 0x0B}, sha256(identityPublic));
        byte[] dupSeed = oaepDecrypt(srk.getPrivate(), "DUPLICATE\0", encryptedDuplicationSeed);
        byte[] dupSensitive = checkedPayload(dupSeed, duplicate, name, "outer integrity");
        ByteBuffer inner = ByteBuffer.wrap(cfbDecrypt(innerKey,
                cfbDecrypt(kdfa(dupSeed, "STORAGE", name, SYMMETRIC_BITS), dupSensitive)));
        byte[] innerIntegrity = tpm2b(inner);
        byte[] sensitive2b = rest(inner);
        require(MessageDigest.isEqual(innerIntegrity, sha256(concat(sensitive2b, name))), "inner integrity");
        ByteBuffer sensitive = ByteBuffer.wrap(tpm2b(ByteBuffer.wrap(sensitive2b)));
        require(sensitive.getShort() == 0x0008, "KEYEDHASH sensitive");
        tpm2b(sensitive); // authValue
        byte[] seedValue = tpm2b(sensitive);
        byte[] hmacKey = tpm2b(sensitive);
        byte[] unique = Arrays.copyOfRange(identityPublic, identityPublic.length - 32, identityPublic.length);
        require(MessageDigest.isEqual(unique, sha256(concat(seedValue, hmacKey))), "unique = H(seedValue || key)");
        return hmacKey;
    }

    /** TPM2B(HMAC) then the encrypted part; the HMAC keyed by KDFa(seed, "INTEGRITY") over the part and a name. */
    private static byte[] checkedPayload(byte[] seed, byte[] item, byte[] name, String what)
            throws GeneralSecurityException {
        ByteBuffer in = ByteBuffer.wrap(item);
        byte[] integrity = tpm2b(in);
        byte[] payload = rest(in);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(kdfa(seed, "INTEGRITY", new byte[0], 256), "HmacSHA256"));
        mac.update(payload);
        require(MessageDigest.isEqual(integrity, mac.doFinal(name)), what);
        return payload;
    }

    /** KDFa with SHA-256 (Part 1, 11.4.10.2), contextV empty as everywhere in the wrapping. */
    static byte[] kdfa(byte[] key, String label, byte[] contextU, int bits) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] labelZ = Arrays.copyOf(label.getBytes(StandardCharsets.US_ASCII), label.length() + 1);
        byte[] out = new byte[bits / 8];
        for (int counter = 1, filled = 0; filled < out.length; counter++) {
            mac.update(ByteBuffer.allocate(4).putInt(counter).array());
            mac.update(labelZ);
            mac.update(contextU);
            byte[] block = mac.doFinal(ByteBuffer.allocate(4).putInt(bits).array());
            int take = Math.min(block.length, out.length - filled);
            System.arraycopy(block, 0, out, filled, take);
            filled += take;
        }
        return out;
    }

    private static byte[] cfbDecrypt(byte[] key, byte[] data) throws GeneralSecurityException {
        if (data.length == 0) {
            return data;
        }
        Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
        cfb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return cfb.doFinal(data);
    }

    private static byte[] oaepDecrypt(PrivateKey key, String label, byte[] data) throws GeneralSecurityException {
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified(label.getBytes(StandardCharsets.US_ASCII))));
        return oaep.doFinal(data);
    }

    /**
     * {@code TPM2B_PUBLIC} of an RSA-2048 storage key with the SDK templates' fields (spec §5.1): the EK's
     * attributes and policy A, or the SRK's; AES-128-CFB, NULL scheme, exponent 0 (65537).
     */
    public static byte[] tpm2bPublic(RSAPublicKey key, boolean endorsementKey) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            out.writeShort(0x0001); // TPM_ALG_RSA
            out.writeShort(0x000B); // SHA-256
            out.writeInt(endorsementKey ? 0x000300B2 : 0x00030472);
            byte[] policy = endorsementKey ? EK_POLICY_A : new byte[0];
            out.writeShort(policy.length);
            out.write(policy);
            out.writeShort(0x0006); // AES
            out.writeShort(SYMMETRIC_BITS);
            out.writeShort(0x0043); // CFB
            out.writeShort(0x0010); // scheme NULL
            out.writeShort(2048);
            out.writeInt(0);
            byte[] modulus = unsigned(key.getModulus());
            out.writeShort(modulus.length);
            out.write(modulus);
            byte[] tpmt = body.toByteArray();
            ByteArrayOutputStream sized = new ByteArrayOutputStream();
            new DataOutputStream(sized).writeShort(tpmt.length);
            sized.write(tpmt);
            return sized.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static byte[] tpm2b(ByteBuffer in) {
        byte[] value = new byte[Short.toUnsignedInt(in.getShort())];
        in.get(value);
        return value;
    }

    private static byte[] rest(ByteBuffer in) {
        byte[] value = new byte[in.remaining()];
        in.get(value);
        return value;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    private static void require(boolean condition, String what) throws GeneralSecurityException {
        if (!condition) {
            throw new GeneralSecurityException("software activation failed: " + what);
        }
    }
}
