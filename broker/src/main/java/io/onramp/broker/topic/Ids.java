package io.onramp.broker.topic;

import io.onramp.certs.text.PercentCodec;
/**
 * Identity rules shared by the user-name parser and the topic and filter classifiers, and by the
 * gateway, which checks an enrollment's desired device ID with them so a device is never provisioned
 * under an ID its hub will refuse.
 */
public final class Ids {

    public static final int MAX_LENGTH = 128;

    /** The alphabet of {@link #isValid}, for messages. */
    public static final String ALPHABET = "A-Z a-z 0-9 - . + % _ # * ? ! ( ) , = @ $ ' :";

    private Ids() {
    }

    /**
     * Azure's device and module id alphabet (spec 6.1: ASCII alphanumerics and {@code - . + % _ # * ? ! ( ) , = @ $ '}),
     * plus ':' which Azure's own docs and DPS registration ids allow. Case-sensitive, 1..128 characters.
     * Keeps spaces, control characters, '/', '&' and non-ASCII out of log lines and topics.
     */
    public static boolean isValid(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-.+%_#*?!(),=@$':".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s[from, to)} names {@code id}: as sent (Java, Node and C put ids raw in topics) or
     * percent-decoded (Python quotes them with {@code safe=""}, spec 3.2). Callers attribute traffic to the
     * connected identity, never to the topic, so accepting both spellings cannot reach another identity.
     * Comparison is exact: ids are case-sensitive.
     */
    static boolean segmentNames(String s, int from, int to, String id) {
        int length = to - from;
        if (length == id.length() && s.regionMatches(from, id, 0, length)) {
            return true;
        }
        if (Scan.indexOf(s, '%', from, to) < 0) {
            return false;
        }
        try {
            return PercentCodec.decode(s, from, to).equals(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
