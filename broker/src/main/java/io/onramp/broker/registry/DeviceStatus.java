package io.onramp.broker.registry;

/** A hub device's status; a disabled device is refused on every device endpoint. */
public enum DeviceStatus {
    ENABLED, DISABLED;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DeviceStatus fromWire(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
