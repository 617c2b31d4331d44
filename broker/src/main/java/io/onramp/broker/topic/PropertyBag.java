package io.onramp.broker.topic;

import java.util.LinkedHashMap;

/** The telemetry property bag of spec 3.4: {@code k=v(&k=v)*}, keys and values percent-encoded. */
public final class PropertyBag {

    private PropertyBag() {
    }

    /**
     * Parses a telemetry {@code {bag}}. Each key is percent-decoded first and only then tested for the
     * {@code $.} prefix, because Java sends {@code $.mid} literally while Node, C and Python send
     * {@code %24.mid}. '+' stays '+'. {@code $.cdid} and {@code $.cmid} are dropped: the hub stamps the
     * real connection identity itself. Known system keys map to their hub names (see {@link #systemName});
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
            int end = PercentCodec.indexOf(s, '&', start, to);
            if (end < 0) {
                end = to;
            }
            if (end > start) {
                int eq = PercentCodec.indexOf(s, '=', start, end);
                int keyEnd = eq < 0 ? end : eq;
                String key = PercentCodec.decode(s, start, keyEnd);
                String value = keyEnd == end ? "" : PercentCodec.decode(s, keyEnd + 1, end);
                if (!key.isEmpty()) {
                    String name = systemName(key);
                    if (name == null) {
                        application = put(application, key, value);
                    } else if (!name.isEmpty()) {
                        system = put(system, name, value);
                    }
                }
            }
            start = end + 1;
        }
        if (system == null && application == null) {
            return MessageProperties.EMPTY;
        }
        return new MessageProperties(frozen(system), frozen(application));
    }

    /** Hub name of a decoded bag key; "" for keys the hub drops; null for application properties. */
    static String systemName(String key) {
        if (!key.startsWith("$.")) {
            return key.equals("iothub-operation") ? key : null;
        }
        return switch (key) {
            case "$.mid" -> "message-id";
            case "$.cid" -> "correlation-id";
            case "$.uid" -> "user-id";
            case "$.to" -> "to";
            case "$.exp" -> "absolute-expiry-time";
            case "$.ct" -> "content-type";
            case "$.ce" -> "content-encoding";
            case "$.ctime" -> "iothub-creation-time-utc";
            case "$.on" -> "iothub-outputname";
            case "$.ifid" -> "iothub-interface-id";
            case "$.sub" -> "dt-subject";
            case "$.schema" -> "iothub-message-schema";
            // Anti-spoofing: the hub stamps the connection's own ids (spec 3.4).
            case "$.cdid", "$.cmid" -> "";
            default -> null;
        };
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
