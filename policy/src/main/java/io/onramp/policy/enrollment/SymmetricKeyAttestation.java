package io.onramp.policy.enrollment;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Symmetric-key attestation: the device signs a SAS token with one of these keys (or, under a
 * group, with a key derived from one of them).
 *
 * @param primaryKey   Base64 key, required
 * @param secondaryKey Base64 key, or null when absent; a blank value is treated as absent
 */
public record SymmetricKeyAttestation(String primaryKey, String secondaryKey) implements Attestation {

    /** The wire value of {@code attestation.type} for this mechanism. */
    public static final String TYPE = "symmetricKey";

    public SymmetricKeyAttestation {
        if (primaryKey == null || primaryKey.isBlank()) {
            throw new IllegalArgumentException("attestation.symmetricKey.primaryKey: required");
        }
        requireBase64(primaryKey, "primaryKey");
        if (secondaryKey != null && secondaryKey.isBlank()) {
            secondaryKey = null;
        }
        if (secondaryKey != null) {
            requireBase64(secondaryKey, "secondaryKey");
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The keys a SAS token may be signed with, primary first; never contains null. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(2);
        keys.add(primaryKey);
        if (secondaryKey != null) {
            keys.add(secondaryKey);
        }
        return Collections.unmodifiableList(keys);
    }

    // Keys are secrets: keep them out of logs and exception messages that print the enrollment.
    @Override
    public String toString() {
        return "SymmetricKeyAttestation[primaryKey=***, secondaryKey=" + (secondaryKey == null ? "null" : "***") + "]";
    }

    private static void requireBase64(String key, String field) {
        try {
            Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            // The decoder's message may echo key material, so it is deliberately not chained.
            throw new IllegalArgumentException("attestation.symmetricKey." + field + ": not valid Base64");
        }
    }
}
