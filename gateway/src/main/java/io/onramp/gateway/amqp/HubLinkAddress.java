package io.onramp.gateway.amqp;

import io.onramp.certs.text.PercentCodec;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An IoT hub device's link address (hub-device-protocol.md 4.3): {@code /devices/{d}/messages/events},
 * {@code /devices/{d}/messages/devicebound}, {@code /devices/{d}/twin}, {@code /devices/{d}/methods/devicebound},
 * and the same under {@code /devices/{d}/modules/{m}}. Matched without regard to case (edgeHub's templates spell
 * {@code deviceBound}), with the IDs percent-decoded; a leading {@code amqps://host} is taken off as for DPS links.
 *
 * @param moduleId null for a device's own links
 */
record HubLinkAddress(String deviceId, String moduleId, Kind kind) {

    enum Kind {
        TELEMETRY("messages/events"),
        CLOUD_TO_DEVICE("messages/devicebound"),
        TWIN("twin"),
        METHODS("methods/devicebound");

        private final String path;

        Kind(String path) {
            this.path = path;
        }
    }

    /** The CBS node of spec 4.2, where devices put their SAS tokens. */
    static final String CBS = "$cbs";

    /** The hub address, or empty for anything else (a DPS registration, $cbs, a typo). */
    static Optional<HubLinkAddress> parse(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String path = LinkPaths.relativePath(address);
        if (path == null) {
            return Optional.empty();
        }
        String[] parts = path.split("/", -1);
        if (parts.length < 3 || !parts[0].equalsIgnoreCase("devices") || parts[1].isEmpty()) {
            return Optional.empty();
        }
        int rest = 2;
        String moduleId = null;
        if (parts[2].equalsIgnoreCase("modules")) {
            if (parts.length < 5 || parts[3].isEmpty()) {
                return Optional.empty();
            }
            moduleId = decode(parts[3]);
            rest = 4;
        }
        String tail = String.join("/", Arrays.copyOfRange(parts, rest, parts.length)).toLowerCase(Locale.ROOT);
        String deviceId = decode(parts[1]);
        if (deviceId == null || (moduleId == null && rest == 4)) {
            return Optional.empty();
        }
        for (Kind kind : Kind.values()) {
            if (kind.path.equals(tail)) {
                return Optional.of(new HubLinkAddress(deviceId, moduleId, kind));
            }
        }
        return Optional.empty();
    }

    /** Whether the address is meant for a hub (it starts with {@code /devices/}), known or not: for a clear refusal. */
    static boolean looksLikeHub(String address) {
        String path = address == null ? null : LinkPaths.relativePath(address);
        return CBS.equals(address) || path != null && path.toLowerCase(Locale.ROOT).startsWith("devices/");
    }

    private static String decode(String id) {
        try {
            return PercentCodec.decode(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "/devices/" + deviceId + (moduleId == null ? "" : "/modules/" + moduleId) + "/" + kind.path;
    }
}
