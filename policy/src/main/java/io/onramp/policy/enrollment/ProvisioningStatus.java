package io.onramp.policy.enrollment;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Whether an enrollment may currently provision devices (service API field {@code provisioningStatus}). */
public enum ProvisioningStatus {
    ENABLED("enabled"),
    DISABLED("disabled");

    private final String wireName;

    ProvisioningStatus(String wireName) {
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
    public static ProvisioningStatus fromWire(String value) {
        if (value != null) {
            for (ProvisioningStatus status : values()) {
                if (status.wireName.equalsIgnoreCase(value)) {
                    return status;
                }
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "', allowed: "
                + Arrays.stream(values()).map(ProvisioningStatus::wireName).collect(Collectors.joining(", ")));
    }
}
