package io.onramp.certs.tpm;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;

/**
 * ActivateCredential and Import of a challenge blob done in software with the JDK's ciphers (TPM 2.0 Part 1,
 * 23.3.2.2 and 24), for the private keys of a test "EK" and "SRK": a quick check that needs no TPM and fails with a
 * precise reason. {@link SwtpmDevice} is the authoritative check.
 */
final class SoftwareActivation {

    /** What the device recovers: the inner key, the identity key and encUriData in clear. */
    record Result(byte[] innerKey, byte[] hmacKey, byte[] encUriPlaintext) {
    }

    private SoftwareActivation() {
    }

    static Result activate(byte[] blob, PrivateKey ek, int ekSymmetricBits, PrivateKey srk, byte[] srkName,
            int srkSymmetricBits) throws Exception {
        ChallengeItems items = ChallengeItems.split(blob);

        // ActivateCredential(SRK, EK): the credential is bound to the SRK's name.
        byte[] credSeed = oaepDecrypt(ek, "IDENTITY\0", ChallengeItems.content(items.encryptedCredentialSeed()));
        byte[] encIdentity = checkedPayload(credSeed, items.idObject(), srkName, "credential integrity");
        byte[] symKey3 = Kdfa.sha256(credSeed, "STORAGE", srkName, new byte[0], ekSymmetricBits);
        byte[] innerKey = tpm2b(ByteBuffer.wrap(cfbDecrypt(symKey3, encIdentity)));

        // Import(SRK, innerKey, public, duplicate, seed).
        byte[] identityPublic = ChallengeItems.content(items.identityPublic());
        byte[] name = concat(new byte[] {0x00, 0x0B}, sha256(identityPublic));
        byte[] dupSeed = oaepDecrypt(srk, "DUPLICATE\0", ChallengeItems.content(items.encryptedDuplicationSeed()));
        byte[] dupSensitive = checkedPayload(dupSeed, items.duplicate(), name, "outer integrity");
        byte[] symKey = Kdfa.sha256(dupSeed, "STORAGE", name, new byte[0], srkSymmetricBits);
        ByteBuffer inner = ByteBuffer.wrap(cfbDecrypt(innerKey, cfbDecrypt(symKey, dupSensitive)));
        byte[] innerIntegrity = tpm2b(inner);
        byte[] sensitive2b = rest(inner);
        require(Arrays.equals(innerIntegrity, sha256(concat(sensitive2b, name))), "inner integrity");

        ByteBuffer sensitive = ByteBuffer.wrap(sensitive2b);
        ByteBuffer tpmtSensitive = ByteBuffer.wrap(tpm2b(sensitive));
        require(!sensitive.hasRemaining(), "one TPM2B_SENSITIVE");
        require(tpmtSensitive.getShort() == 0x0008, "KEYEDHASH sensitive");
        require(tpm2b(tpmtSensitive).length == 0, "empty authValue");
        byte[] seedValue = tpm2b(tpmtSensitive);
        byte[] hmacKey = tpm2b(tpmtSensitive);
        require(!tpmtSensitive.hasRemaining(), "nothing after the key");
        // The public area's unique must commit to this key (Part 1, 27.2.4).
        byte[] unique = Arrays.copyOfRange(identityPublic, identityPublic.length - 32, identityPublic.length);
        require(Arrays.equals(unique, sha256(concat(seedValue, hmacKey))), "unique = H(seedValue || key)");

        byte[] encUri = ChallengeItems.content(items.encUriData());
        return new Result(innerKey, hmacKey, cfbDecrypt(innerKey, encUri));
    }

    /**
     * An ID object or a duplicate: TPM2B(HMAC) then the encrypted part, the HMAC keyed by KDFa(seed, "INTEGRITY")
     * over the encrypted part and the bound name. Returns the encrypted part once the HMAC matches.
     */
    private static byte[] checkedPayload(byte[] seed, byte[] item, byte[] name, String what) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(ChallengeItems.content(item));
        byte[] integrity = tpm2b(in);
        byte[] payload = rest(in);
        byte[] hmacKey = Kdfa.sha256(seed, "INTEGRITY", new byte[0], new byte[0], 256);
        require(Arrays.equals(integrity, hmac(hmacKey, payload, name)), what);
        return payload;
    }

    static byte[] cfbDecrypt(byte[] key, byte[] data) throws Exception {
        if (data.length == 0) {
            return data;
        }
        Cipher cfb = Cipher.getInstance("AES/CFB/NoPadding");
        cfb.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(new byte[16]));
        return cfb.doFinal(data);
    }

    private static byte[] oaepDecrypt(PrivateKey key, String label, byte[] data) throws Exception {
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPPadding");
        oaep.init(Cipher.DECRYPT_MODE, key, new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256,
                new PSource.PSpecified(label.getBytes(StandardCharsets.US_ASCII))));
        return oaep.doFinal(data);
    }

    private static byte[] hmac(byte[] key, byte[] first, byte[] second) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update(first);
        return mac.doFinal(second);
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
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

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("software activation failed: " + what);
        }
    }
}
