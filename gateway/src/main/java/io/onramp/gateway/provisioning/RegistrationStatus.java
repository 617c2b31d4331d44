package io.onramp.gateway.provisioning;

import java.util.Locale;

/**
 * Registration and operation statuses on the wire (lower case, as C compares them with strcmp).
 * {@code unassigned} is never emitted: Node and Python treat it as an error (spec 2.4).
 */
public enum RegistrationStatus {
    ASSIGNING, ASSIGNED, FAILED, DISABLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return this != ASSIGNING;
    }

    public static RegistrationStatus fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
