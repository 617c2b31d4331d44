package io.onramp.broker.topic;

import java.util.Objects;

/**
 * Classifies a SUBSCRIBE filter of a device (spec 3.2/3.3). Only the exact filters the SDKs send are
 * recognised: a wider filter would promise messages the hub does not route that way, and a wildcard in
 * an id level would reach beyond the connected identity.
 */
public enum DeviceSubscription {
    /** {@code devices/{d}/messages/devicebound/#}: the device's C2D queue. */
    CLOUD_TO_DEVICE,
    /** {@code $iothub/twin/res/#}. */
    TWIN_RESPONSES,
    /** {@code $iothub/twin/PATCH/properties/desired/#}. */
    TWIN_DESIRED,
    /** {@code $iothub/methods/POST/#}. */
    METHODS,
    /** Module C2D/inputs filters etc.: granted, nothing delivered. */
    ACCEPTED_SILENT,
    /** Another device's topics, unknown filters, wildcard tricks: SUBACK 0x80. */
    REFUSED;

    private static final String DEVICES = "devices/";
    private static final String MODULES = "/modules/";
    private static final String DEVICEBOUND = "/messages/devicebound/#";
    private static final String INPUTS = "/inputs/#";
    private static final String ANYTHING = "/#";

    /**
     * @param deviceId the connected device
     * @param moduleId the connected module, or {@code null} for a device identity
     */
    public static DeviceSubscription classify(String filter, String deviceId, String moduleId) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (filter == null) {
            return REFUSED;
        }
        switch (filter) {
            case "$iothub/twin/res/#" -> {
                return TWIN_RESPONSES;
            }
            case "$iothub/twin/PATCH/properties/desired/#" -> {
                return TWIN_DESIRED;
            }
            case "$iothub/methods/POST/#" -> {
                return METHODS;
            }
            default -> {
                return filter.startsWith(DEVICES) ? deviceFilter(filter, deviceId, moduleId) : REFUSED;
            }
        }
    }

    private static DeviceSubscription deviceFilter(String filter, String deviceId, String moduleId) {
        int length = filter.length();
        int idStart = DEVICES.length();
        int idEnd = Scan.indexOf(filter, '/', idStart, length);
        if (idEnd < 0 || hasWildcard(filter, idStart, idEnd) || !Ids.segmentNames(filter, idStart, idEnd, deviceId)) {
            return REFUSED;
        }
        if (moduleId == null) {
            // A device may only drain its own C2D queue; module filters are not its to take.
            return filter.length() == idEnd + DEVICEBOUND.length() && filter.startsWith(DEVICEBOUND, idEnd)
                    ? CLOUD_TO_DEVICE : REFUSED;
        }
        if (!filter.startsWith(MODULES, idEnd)) {
            // Includes the device's devicebound filter: that queue belongs to the device, not its modules.
            return REFUSED;
        }
        int moduleStart = idEnd + MODULES.length();
        int moduleEnd = Scan.indexOf(filter, '/', moduleStart, length);
        if (moduleEnd < 0 || hasWildcard(filter, moduleStart, moduleEnd)
                || !Ids.segmentNames(filter, moduleStart, moduleEnd, moduleId)) {
            return REFUSED;
        }
        String rest = filter.substring(moduleEnd);
        return rest.equals(DEVICEBOUND) || rest.equals(INPUTS) || rest.equals(ANYTHING) ? ACCEPTED_SILENT : REFUSED;
    }

    private static boolean hasWildcard(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '+' || c == '#' || c == '\0') {
                return true;
            }
        }
        return false;
    }
}
