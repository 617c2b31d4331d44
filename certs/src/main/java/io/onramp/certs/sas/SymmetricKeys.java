package io.onramp.certs.sas;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/** Symmetric keys as DPS enrollments hold them: standard base64 text of 16 to 64 bytes. */
public final class SymmetricKeys {

    private static final int MIN_BYTES = 16;
    private static final int MAX_BYTES = 64;
    // Spec 10.1: 64 bytes (88 Base64 characters), the length of the keys Azure's own samples show.
    private static final int GENERATED_BYTES = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SymmetricKeys() {
    }

    /**
     * Decodes a key. Padding is required and whitespace is not trimmed, so a key that was
     * pasted or read with a stray character fails here instead of silently never matching.
     *
     * @throws IllegalArgumentException if the text is not standard base64 or the length is wrong;
     *     the message never contains the key
     */
    public static byte[] decode(String base64Key) {
        if (base64Key == null || base64Key.isEmpty() || base64Key.length() % 4 != 0) {
            throw new IllegalArgumentException("symmetric key is not valid base64");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("symmetric key is not valid base64");
        }
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "symmetric key must be " + MIN_BYTES + " to " + MAX_BYTES + " bytes, was " + key.length);
        }
        return key;
    }

    /** A new random key of 64 bytes, base64 (88 characters). */
    public static String generate() {
        byte[] key = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The device key of an enrollment-group member (spec section 4.3). */
    public static String deriveDeviceKey(String groupKeyBase64, String registrationId) {
        return Base64.getEncoder().encodeToString(deriveDeviceKey(decode(groupKeyBase64), registrationId));
    }

    /** The same, as bytes: a token checked against many groups' keys needs no Base64 until one matches. */
    public static byte[] deriveDeviceKey(byte[] groupKey, String registrationId) {
        Objects.requireNonNull(registrationId, "registrationId");
        return HmacSha256.mac(groupKey, registrationId.getBytes(StandardCharsets.UTF_8));
    }
}
