package io.onramp.gateway.store;

import java.security.SecureRandom;
import java.util.Base64;

/** Symmetric keys the hub makes for a device created without them: 32 random bytes, as IoT Hub does. */
final class DeviceKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceKeys() {}

    static String generate() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static boolean absent(String key) {
        return key == null || key.isEmpty();
    }
}
