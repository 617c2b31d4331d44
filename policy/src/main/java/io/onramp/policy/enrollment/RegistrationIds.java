package io.onramp.policy.enrollment;

import java.util.Locale;

/** Rules for registration and enrollment group ids (spec §4.1). */
public final class RegistrationIds {

    /** Longest id DPS accepts. */
    public static final int MAX_LENGTH = 128;

    /** The rule {@link #isValid} applies, for messages: "The registration ID is not valid: " + RULE. */
    public static final String RULE = "1 to 128 characters of A-Z a-z 0-9 - . _ :, ending in a letter, digit or '-'";

    private RegistrationIds() {
    }

    /**
     * True if {@code id} is 1–128 characters from {@code A–Z a–z 0–9 . _ : -} and ends with an
     * alphanumeric character or {@code -} (Azure's documented rule).
     */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        // A loop, not a regular expression: every device request checks its ID.
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAsciiAlphanumeric(c) && c != '.' && c != '_' && c != ':' && c != '-') {
                return false;
            }
        }
        char last = id.charAt(id.length() - 1);
        return last == '-' || isAsciiAlphanumeric(last);
    }

    /** Enrollment group ids follow the same rule as registration ids. */
    public static boolean isValidEnrollmentGroupId(String id) {
        return isValid(id);
    }

    /**
     * The lookup key for an id. DPS compares registration ids case-insensitively, so stores and
     * locks must key on this rather than on the id as the client spelled it.
     */
    public static String key(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
