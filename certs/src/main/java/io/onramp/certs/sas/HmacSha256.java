package io.onramp.certs.sas;

import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 with one {@link Mac} per thread: Mac.getInstance is costly and Mac is not thread-safe. */
final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide " + ALGORITHM, e);
        }
    });

    private HmacSha256() {
    }

    static byte[] mac(byte[] key, byte[] data) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("HMAC key is empty");
        }
        Mac mac = MAC.get();
        try {
            // init resets any state a previous, failed use may have left behind.
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("HMAC key rejected", e);
        }
        return mac.doFinal(data);
    }
}
