package io.onramp.broker.registry;

import java.util.Locale;

/** How a device authenticates at the hub (hub-device-protocol.md 6.1), with its wire name. */
public enum AuthType {
    SAS("sas"), SELF_SIGNED("selfSigned"), CERTIFICATE_AUTHORITY("certificateAuthority"), NONE("none");

    private final String wireName;

    AuthType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static AuthType fromWire(String name) {
        for (AuthType type : values()) {
            if (type.wireName.equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown authentication type: " + name);
    }

    @Override
    public String toString() {
        return wireName.toLowerCase(Locale.ROOT);
    }
}
