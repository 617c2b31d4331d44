package io.onramp.policy.allocation;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The allocation policies of the service API ({@code allocationPolicy}, spec §12.3). */
public enum AllocationPolicyKind {
    HASHED("hashed"),
    GEO_LATENCY("geoLatency"),
    STATIC("static"),
    CUSTOM("custom");

    private final String wireName;

    AllocationPolicyKind(String wireName) {
        this.wireName = wireName;
    }

    /** The JSON value used by the service API. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a wire value, ignoring case.
     *
     * @throws IllegalArgumentException if the value is null or unknown; the message lists the allowed values and
     *     does not name the field: the caller's report does (config path, API error)
     */
    public static AllocationPolicyKind fromWire(String value) {
        if (value != null) {
            for (AllocationPolicyKind kind : values()) {
                if (kind.wireName.equalsIgnoreCase(value)) {
                    return kind;
                }
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "', allowed: "
                + Arrays.stream(values()).map(AllocationPolicyKind::wireName).collect(Collectors.joining(", ")));
    }
}
