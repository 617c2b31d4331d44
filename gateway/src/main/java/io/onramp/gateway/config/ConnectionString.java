package io.onramp.gateway.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An Azure connection string, {@code Name=value;Name=value}, names case-insensitive: a linked hub's service policy
 * ({@code HostName;SharedAccessKeyName;SharedAccessKey}) or a device's ({@code HostName;DeviceId;SharedAccessKey}).
 * HostName may end in {@code :port}, an Onramp extension for a gateway not listening where Azure would.
 */
final class ConnectionString {

    private final Map<String, String> parts;

    private ConnectionString(Map<String, String> parts) {
        this.parts = parts;
    }

    /** @throws IllegalArgumentException naming a part that is not {@code Name=value} */
    static ConnectionString parse(String text) {
        Map<String, String> parts = new HashMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                if (!part.isBlank()) {
                    throw new IllegalArgumentException("'" + part + "' is not a Name=value pair");
                }
                continue;
            }
            parts.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), part.substring(eq + 1).trim());
        }
        return new ConnectionString(parts);
    }

    /** The value of {@code name}, or null when it is missing or empty. */
    String get(String name) {
        String value = parts.get(name.toLowerCase(Locale.ROOT));
        return value == null || value.isEmpty() ? null : value;
    }

    boolean has(String name) {
        return parts.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** HostName without the port it may give. */
    String host() {
        String host = get("HostName");
        int colon = portColon(host);
        return colon < 0 ? host : host.substring(0, colon);
    }

    /**
     * The port HostName gives after ':', or {@code defaultPort}.
     *
     * @throws IllegalArgumentException when what follows ':' is not a port number
     */
    int port(int defaultPort) {
        String host = get("HostName");
        int colon = portColon(host);
        if (colon < 0) {
            return defaultPort;
        }
        String text = host.substring(colon + 1);
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("the port after HostName's ':' must be a number from 1 to 65535, not '"
                + text + "'");
    }

    /** Where the port starts, or -1: none, or an IPv6 literal in brackets without one. */
    private static int portColon(String host) {
        int colon = host == null ? -1 : host.lastIndexOf(':');
        return colon < 0 || host.endsWith("]") ? -1 : colon;
    }
}
