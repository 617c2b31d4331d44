package io.onramp.broker.topic;

import io.onramp.certs.text.PercentCodec;
import java.util.Map;
import java.util.Objects;

/**
 * Topics the hub publishes to devices (spec 3.2). Every argument comes from the hub itself, so a bad one
 * is a bug and fails with {@link IllegalArgumentException} instead of reaching a device SDK that would
 * choke on it.
 */
public final class HubTopics {

    private static final String TWIN_RESPONSE = "$iothub/twin/res/";
    private static final String DESIRED_PATCH = "$iothub/twin/PATCH/properties/desired/?$version=";
    private static final String METHOD_REQUEST = "$iothub/methods/POST/";

    /**
     * C2D system properties in emission order (spec 3.5), hub name then wire key. {@code to} is not taken
     * from the input: it is always the device's own address.
     */
    private static final String[][] C2D_SYSTEM = {
        {"message-id", "%24.mid"},
        {"to", "%24.to"},
        {"correlation-id", "%24.cid"},
        {"user-id", "%24.uid"},
        {"content-type", "%24.ct"},
        {"content-encoding", "%24.ce"},
        {"absolute-expiry-time", "%24.exp"},
    };
    private static final String ACK = "iothub-ack";
    private static final String EVENTS = "/messages/events";
    private static final String DEVICES = "devices/";

    private HubTopics() {
    }

    /**
     * {@code $iothub/twin/res/{status}/?$rid={rid}[&$version={n}]}. Java requires exactly three status
     * digits, {@code $rid} first and nothing but {@code $version} after it, and parses the version as an
     * {@code int} (spec 3.6).
     *
     * @param version the new reported version after a PATCH, or {@code null}
     */
    public static String twinResponse(int status, String rid, Long version) {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("twin status must have three digits: " + status);
        }
        checkRid(rid);
        StringBuilder topic = new StringBuilder(TWIN_RESPONSE.length() + rid.length() + 32)
                .append(TWIN_RESPONSE).append(status).append("/?$rid=").append(rid);
        if (version != null) {
            topic.append("&$version=").append(checkVersion(version));
        }
        return topic.toString();
    }

    /** {@code $iothub/twin/PATCH/properties/desired/?$version={n}}; the version is mandatory for Java (spec 3.6). */
    public static String desiredPatch(long version) {
        return DESIRED_PATCH + checkVersion(version);
    }

    /**
     * {@code $iothub/methods/POST/{name}/?$rid={rid}}. The name goes in raw (Java and Node read the level
     * verbatim), so it may not contain {@code / ? # + & %}; the rid may not contain {@code / ? # + &} (spec 3.7).
     */
    public static String methodRequest(String methodName, String rid) {
        if (methodName == null || methodName.isEmpty() || containsAny(methodName, "/?#+&%\0")) {
            throw new IllegalArgumentException("method name may not be empty or contain / ? # + & %: " + methodName);
        }
        if (rid == null || rid.isEmpty() || containsAny(rid, "/?#+&\0")) {
            throw new IllegalArgumentException("method rid may not be empty or contain / ? # + &: " + rid);
        }
        return METHOD_REQUEST + methodName + "/?$rid=" + rid;
    }

    /**
     * {@code devices/{d}/messages/devicebound/{bag}} shaped for the strictest parser, Java's (spec 3.5):
     * {@code %24}-encoded system keys first in the order mid, to, cid, uid, ct, ce, exp, then {@code iothub-ack},
     * then application properties. {@code %24.to} is always present, so Java (which starts reading at the
     * first {@code %24}) sees every property. Null and empty values are dropped (Java throws on {@code key=});
     * everything but RFC 3986 unreserved characters is percent-encoded, so spaces are {@code %20} and '+' is
     * {@code %2B} for Java's {@code URLDecoder}. Other system properties have no C2D wire key and are left
     * out. Application properties whose name starts with '$' or is {@code iothub-ack} are left out too: on the
     * wire they would pose as system properties.
     *
     * @param properties system properties under hub names ({@code message-id}, {@code correlation-id},
     *     {@code user-id}, {@code content-type}, {@code content-encoding}, {@code absolute-expiry-time},
     *     {@code iothub-ack}) and application properties
     */
    public static String cloudToDevice(String deviceId, MessageProperties properties) {
        if (deviceId == null || !Ids.isValid(deviceId)) {
            throw new IllegalArgumentException("not a device id: " + deviceId);
        }
        Map<String, String> system = Objects.requireNonNull(properties, "properties").system();
        StringBuilder topic = new StringBuilder(128).append(DEVICES);
        appendIdLevel(topic, deviceId).append("/messages/devicebound/");
        String separator = "";
        for (String[] key : C2D_SYSTEM) {
            String value = key[0].equals("to") ? "/devices/" + deviceId + "/messages/deviceBound" : system.get(key[0]);
            if (value != null && !value.isEmpty()) {
                PercentCodec.encode(topic.append(separator).append(key[1]).append('='), value);
                separator = "&";
            }
        }
        String ack = system.get(ACK);
        if (ack != null && !ack.isEmpty()) {
            PercentCodec.encode(topic.append(separator).append(ACK).append('='), ack);
        }
        for (Map.Entry<String, String> entry : properties.application().entrySet()) {
            String name = entry.getKey();
            String value = entry.getValue();
            if (!name.isEmpty() && !name.startsWith("$") && !name.equals(ACK) && value != null && !value.isEmpty()) {
                PercentCodec.encode(PercentCodec.encode(topic.append('&'), name).append('='), value);
            }
        }
        return topic.toString();
    }

    /**
     * The topic consumers get a device's telemetry on (spec 3.4), {@code devices/{d}/messages/events/{bag}}:
     * <ul>
     * <li>{@code {d}} is the device's ID as the hub knows it, not as the device spelled it (Python
     *     percent-encodes it, spec 3.2), so that filters for one device match and consumers read the real ID;
     * <li>the bag is the device's own pairs as sent, less those naming a property the hub owns
     *     ({@code $.cdid}, {@code $.cmid}, {@code iothub-connection-*}, {@code iothub-enqueuedtime}: a device
     *     could pose as another), then {@code stamps} percent-encoded, in their order.
     * </ul>
     * {@code topic} is a device telemetry topic ({@code devices/{d}/messages/events[/bag][/]}) that
     * {@link DeviceTopic#parse} accepted for that device.
     */
    public static String telemetryForConsumers(String deviceId, String topic, Map<String, String> stamps) {
        return telemetryForConsumers(deviceId, topic, appendEncoded(new StringBuilder(), stamps));
    }

    /** Appends {@code properties} as a topic's property bag writes them: {@code name=value&name=value}, percent-encoded. */
    public static StringBuilder appendEncoded(StringBuilder out, Map<String, String> properties) {
        String separator = "";
        for (Map.Entry<String, String> property : properties.entrySet()) {
            PercentCodec.encode(PercentCodec.encode(out.append(separator), property.getKey()).append('='), property.getValue());
            separator = "&";
        }
        return out;
    }

    /**
     * The same, with the stamps given already percent-encoded ({@code name=value&name=value}): the hub encodes what
     * stays the same for a connection once, not per message.
     */
    public static String telemetryForConsumers(String deviceId, String topic, CharSequence encodedStamps) {
        int idEnd = topic.startsWith(DEVICES) ? topic.indexOf('/', DEVICES.length()) : -1;
        if (idEnd < 0 || !topic.startsWith(EVENTS, idEnd)) {
            throw new IllegalArgumentException("not a device telemetry topic: " + topic);
        }
        StringBuilder out = new StringBuilder(topic.length() + encodedStamps.length() + 8).append(DEVICES);
        appendIdLevel(out, deviceId).append(EVENTS).append('/');
        int length = topic.length();
        int end = length > 0 && topic.charAt(length - 1) == '/' ? length - 1 : length;
        String separator = "";
        for (int start = idEnd + EVENTS.length() + 1; start < end; ) {
            int pairEnd = Scan.indexOf(topic, '&', start, end);
            pairEnd = pairEnd < 0 ? end : pairEnd;
            int eq = Scan.indexOf(topic, '=', start, pairEnd);
            if (pairEnd > start && !PropertyBag.isOwnedByHub(topic, start, eq < 0 ? pairEnd : eq)) {
                out.append(separator).append(topic, start, pairEnd);
                separator = "&";
            }
            start = pairEnd + 1;
        }
        if (encodedStamps.length() > 0) {
            out.append(separator).append(encodedStamps);
        }
        return out.toString();
    }

    /**
     * Device ids may contain '+' and '#' (spec 6.1) but topic names may not (MQTT 3.1.1 §4.7.1): escape
     * just those; every other character stays as the SDKs that send ids raw expect it.
     */
    private static StringBuilder appendIdLevel(StringBuilder topic, String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            switch (c) {
                case '+' -> topic.append("%2B");
                case '#' -> topic.append("%23");
                default -> topic.append(c);
            }
        }
        return topic;
    }

    private static void checkRid(String rid) {
        // The rid came from the device's own topic, which had no '&' (it ends the parameter), '+', '#' or NUL.
        if (rid == null || rid.isEmpty() || containsAny(rid, "&#+\0")) {
            throw new IllegalArgumentException("not a request id: " + rid);
        }
    }

    private static long checkVersion(long version) {
        if (version < 0 || version > Integer.MAX_VALUE) {
            // Java reads it with Integer.parseInt (spec 3.6).
            throw new IllegalArgumentException("twin version must fit a non-negative int: " + version);
        }
        return version;
    }

    private static boolean containsAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
