package io.onramp.gateway.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/** Opaque etags and the If-Match rule. */
public final class Etags {
    private Etags() {}

    /** Enrollment and registration etags: quoted, as DPS returns them (dps-device-protocol.md 2.3). */
    public static String next() {
        return "\"" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "\"";
    }

    /** Hub device identity etags: unquoted Base64 text, as IoT Hub returns them ("MTIzNDU2Nzg5"). */
    public static String identity() {
        String random = Long.toString(ThreadLocalRandom.current().nextLong() >>> 1);
        return Base64.getEncoder().withoutPadding().encodeToString(random.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * If-Match: absent or {@code *} matches anything; otherwise the etags must be equal once quotes
     * and a weak {@code W/} prefix are set aside on both sides, since Node quotes the etag it sends,
     * Java does not, and older rows were stored quoted.
     */
    public static boolean matches(String current, String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || bare(ifMatch).equals("*")) {
            return true;
        }
        return bare(current).equals(bare(ifMatch));
    }

    /**
     * If-Match of the DPS service API (enrollments, registrations, CA certificates): as {@link #matches}, but
     * compared strongly (RFC 7232 3.1, dps-service-api 5.2): a weak {@code W/} etag matches nothing, so a write
     * conditional on it fails with 412. The hub registry keeps {@link #matches}: IoT Hub's identity etags are weak.
     */
    public static boolean matchesStrongly(String current, String ifMatch) {
        return !(ifMatch != null && ifMatch.trim().startsWith("W/")) && matches(current, ifMatch);
    }

    public static String bare(String etag) {
        String value = etag.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        while (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1);
        }
        return value;
    }
}
