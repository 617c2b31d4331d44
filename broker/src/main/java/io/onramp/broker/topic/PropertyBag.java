package io.onramp.broker.topic;

import io.onramp.certs.text.PercentCodec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The telemetry property bag of spec 3.4: {@code k=v(&k=v)*}, keys and values percent-encoded. */
public final class PropertyBag {

    /** Spec 3.4: bag key (decoded) and hub name; "" marks keys the hub drops. */
    private static final String[][] SYSTEM_KEYS = {
        {"$.mid", "message-id"},
        {"$.cid", "correlation-id"},
        {"$.uid", "user-id"},
        {"$.to", "to"},
        {"$.exp", "absolute-expiry-time"},
        {"$.ct", "content-type"},
        {"$.ce", "content-encoding"},
        {"$.ctime", "iothub-creation-time-utc"},
        {"$.on", "iothub-outputname"},
        {"$.ifid", "iothub-interface-id"},
        {"$.sub", "dt-subject"},
        {"$.schema", "iothub-message-schema"},
        // Anti-spoofing: the hub stamps the connection's own ids itself (spec 3.4).
        {"$.cdid", ""},
        {"$.cmid", ""},
    };
    private static final String OPERATION = "iothub-operation";
    /** Properties the hub stamps on every message (spec 3.4): a device's own are dropped, whatever their case. */
    private static final String CONNECTION_PREFIX = "iothub-connection-";
    private static final String ENQUEUED_TIME = "iothub-enqueuedtime";

    private PropertyBag() {
    }

    /**
     * Parses a telemetry {@code {bag}}. Each key is percent-decoded first and only then tested for the
     * {@code $.} prefix, because Java sends {@code $.mid} literally while Node, C and Python send
     * {@code %24.mid}. '+' stays '+'. {@code $.cdid}, {@code $.cmid}, {@code iothub-connection-*} and
     * {@code iothub-enqueuedtime} (any case) are dropped: the hub stamps the real connection identity itself. Known system keys map to their hub names ({@code $.mid} to
     * {@code message-id} and so on, the table of spec 3.4, plus {@code iothub-operation} as is);
     * everything else, including unknown {@code $.} keys, is an application property.
     *
     * <p>Tolerates an empty bag, a trailing '/' (Java modules, Node outputs), empty pairs ({@code a=1&&b=2})
     * and a key without '=' (an empty value). A pair with an empty key is skipped. The first of duplicate
     * keys wins, as in the user-name query (spec 3.1).
     *
     * @throws IllegalArgumentException on malformed percent-encoding
     */
    public static MessageProperties parse(String bag) {
        return parse(bag, 0, bag.length());
    }

    /** Parses {@code s[from, to)} without cutting it out first: telemetry topics are the hot path. */
    static MessageProperties parse(String s, int from, int to) {
        if (to > from && s.charAt(to - 1) == '/') {
            to--;
        }
        LinkedHashMap<String, String> system = null;
        LinkedHashMap<String, String> application = null;
        int start = from;
        while (start < to) {
            int end = Scan.indexOf(s, '&', start, to);
            if (end < 0) {
                end = to;
            }
            if (end > start) {
                int eq = Scan.indexOf(s, '=', start, end);
                int keyEnd = eq < 0 ? end : eq;
                String value = keyEnd == end ? "" : PercentCodec.decode(s, keyEnd + 1, end);
                String name = systemName(s, start, keyEnd);
                if (name == null) {
                    String key = PercentCodec.decode(s, start, keyEnd);
                    name = systemName(key, 0, key.length());
                    if (name == null && !key.isEmpty()) {
                        application = put(application, key, value);
                    }
                }
                if (name != null && !name.isEmpty()) {
                    system = put(system, name, value);
                }
            }
            start = end + 1;
        }
        if (system == null && application == null) {
            return MessageProperties.EMPTY;
        }
        return new MessageProperties(frozen(system), frozen(application));
    }

    /**
     * Hub name of the bag key {@code s[from, to)} as it stands (no decoding: the caller decodes and asks
     * again when this finds nothing); "" for keys the hub drops; null for application properties.
     * Compares in place so that system keys cost no allocation on the hot path.
     */
    static String systemName(String s, int from, int to) {
        int length = to - from;
        int offset;
        if (length >= 2 && s.startsWith("$.", from)) {
            offset = 0;
        } else if (length >= 4 && s.startsWith("%24.", from)) {
            // Node, C and Python escape the '$'; compare the rest as if it were there.
            offset = 2;
        } else {
            if (length == OPERATION.length() && s.startsWith(OPERATION, from)) {
                return OPERATION;
            }
            return stampedByHub(s, from, length) ? "" : null;
        }
        for (String[] key : SYSTEM_KEYS) {
            String wire = key[0];
            if (length - offset == wire.length() && s.regionMatches(from + offset + 1, wire, 1, wire.length() - 1)) {
                return key[1];
            }
        }
        return null;
    }

    private static boolean stampedByHub(String s, int from, int length) {
        return length >= CONNECTION_PREFIX.length() && s.regionMatches(true, from, CONNECTION_PREFIX, 0, CONNECTION_PREFIX.length())
                || length == ENQUEUED_TIME.length() && s.regionMatches(true, from, ENQUEUED_TIME, 0, length);
    }

    /**
     * Whether the bag key {@code s[from, to)} (raw or percent-encoded, of a bag {@link #parse} accepted) names
     * a property the hub owns and drops from what the device sent: {@code $.cdid}, {@code $.cmid},
     * {@code iothub-connection-*} and {@code iothub-enqueuedtime}, which the hub stamps itself (anti-spoofing).
     */
    static boolean isOwnedByHub(String s, int from, int to) {
        String name = systemName(s, from, to);
        if (name == null) {
            String key = PercentCodec.decode(s, from, to);
            name = systemName(key, 0, key.length());
        }
        return name != null && name.isEmpty();
    }

    /**
     * Writes properties that came another way (an AMQP message's sections) as a bag {@link #parse} reads back the
     * same: known system properties under their {@code %24.} keys, {@code iothub-operation} as is, then application
     * properties. What the hub owns, and application names that would pose as system keys ({@code $.…}), are left out.
     */
    public static StringBuilder appendEncoded(StringBuilder out, MessageProperties properties) {
        String separator = "";
        for (Map.Entry<String, String> property : properties.system().entrySet()) {
            String key = wireKey(property.getKey());
            if (key != null && property.getValue() != null) {
                PercentCodec.encode(out.append(separator).append(key).append('='), property.getValue());
                separator = "&";
            }
        }
        for (Map.Entry<String, String> property : withoutHubOwned(properties).application().entrySet()) {
            String value = property.getValue() == null ? "" : property.getValue();
            PercentCodec.encode(PercentCodec.encode(out.append(separator), property.getKey()).append('='), value);
            separator = "&";
        }
        return out;
    }

    /** The bag key of a system property's hub name, {@code %24.mid} for {@code message-id}; null when it has none. */
    private static String wireKey(String hubName) {
        if (hubName.equals(OPERATION)) {
            return OPERATION;
        }
        for (String[] key : SYSTEM_KEYS) {
            if (!key[1].isEmpty() && key[1].equals(hubName)) {
                return "%24" + key[0].substring(1);
            }
        }
        return null;
    }

    /**
     * The properties less the application ones a device may not set: those the hub stamps itself
     * ({@code iothub-connection-*}, {@code iothub-enqueuedtime}, any case) and names that would read as system keys.
     */
    public static MessageProperties withoutHubOwned(MessageProperties properties) {
        Map<String, String> application = properties.application();
        boolean clean = application.keySet().stream().noneMatch(PropertyBag::ownedApplicationName);
        if (clean) {
            return properties;
        }
        LinkedHashMap<String, String> kept = new LinkedHashMap<>(application);
        kept.keySet().removeIf(PropertyBag::ownedApplicationName);
        return new MessageProperties(properties.system(), kept);
    }

    private static boolean ownedApplicationName(String name) {
        return name.isEmpty() || name.startsWith("$") || systemName(name, 0, name.length()) != null;
    }

    private static LinkedHashMap<String, String> put(LinkedHashMap<String, String> map, String key, String value) {
        if (map == null) {
            map = new LinkedHashMap<>(8);
        }
        map.putIfAbsent(key, value);
        return map;
    }

    private static FrozenMap frozen(LinkedHashMap<String, String> map) {
        return map == null ? FrozenMap.EMPTY : FrozenMap.own(map);
    }
}
