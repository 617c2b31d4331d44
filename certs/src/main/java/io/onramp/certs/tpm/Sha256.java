package io.onramp.certs.tpm;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * SHA-256 and HMAC-SHA256 over concatenated parts, the two hashes every TPM wrapping step needs. The JDK's, one
 * instance per thread: its SHA-256 uses the CPU's SHA instructions where there are some, BouncyCastle's pure-Java
 * digest took a third of a challenge's CPU time.
 */
final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> create(() ->
            MessageDigest.getInstance("SHA-256")));
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> create(() ->
            Mac.getInstance("HmacSHA256")));

    private interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    private Sha256() {
    }

    static byte[] digest(byte[]... parts) {
        MessageDigest digest = DIGEST.get();
        digest.reset();
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    /** @throws IllegalArgumentException for an empty key, which no TPM wrapping step uses */
    static byte[] hmac(byte[] key, byte[]... parts) {
        Mac mac = MAC.get();
        try {
            // init also resets whatever a previous, failed use left behind.
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("HMAC key rejected", e);
        }
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    private static <T> T create(Factory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256 and HmacSHA256", e);
        }
    }
}
