package io.onramp.broker.topic;

/**
 * SUBSCRIBE filters of the hub's local telemetry consumer and MQTT 3.1.1 topic matching for them. The
 * consumer is only ever offered device-to-cloud messages, so any well-formed filter that can match a
 * telemetry topic ({@code devices/+/messages/events/#}, one device's, the module forms, or wider ones such
 * as {@code devices/#} and {@code #}) is limited to telemetry by construction.
 */
public final class ConsumerFilters {

    /** MQTT strings are at most 65535 bytes, so a filter of more characters is malformed whatever they are. */
    private static final int MAX_LENGTH = 65_535;
    /** {@code devices/{d}/modules/{m}/messages/events/{bag}/}: no telemetry topic has more levels. */
    private static final int MAX_TELEMETRY_LEVELS = 8;
    /** Telemetry topic shapes up to {@code events}; {@code null} is one id level (never empty). */
    private static final String[] DEVICE_SHAPE = {"devices", null, "messages", "events"};
    private static final String[] MODULE_SHAPE = {"devices", null, "modules", null, "messages", "events"};

    private ConsumerFilters() {
    }

    /** Whether {@code filter} is a well-formed filter that can match some device or module telemetry topic. */
    public static boolean isTelemetryFilter(String filter) {
        if (!isValidFilter(filter)) {
            return false;
        }
        int levels = 1;
        for (int i = 0; i < filter.length(); i++) {
            if (filter.charAt(i) == '/' && ++levels > MAX_TELEMETRY_LEVELS) {
                return false;
            }
        }
        String[] split = filter.split("/", -1);
        return couldMatch(split, DEVICE_SHAPE) || couldMatch(split, MODULE_SHAPE);
    }

    /**
     * MQTT 3.1.1 §4.7: '+' matches exactly one level (possibly empty), '#' the parent level and any number
     * of levels below it, and topics starting with '$' are not matched by a filter starting with a wildcard
     * (§4.7.2). False for a malformed filter or a topic name containing wildcards or NUL.
     */
    public static boolean matches(String filter, String topic) {
        if (!isValidFilter(filter) || topic == null || topic.isEmpty() || !isValidTopicName(topic)) {
            return false;
        }
        return matchesValid(filter, topic);
    }

    /** {@link #matches} for a filter and a topic name already known to be valid: the per-message path. */
    static boolean matchesValid(String filter, String topic) {
        char first = filter.charAt(0);
        if (topic.charAt(0) == '$' && (first == '+' || first == '#')) {
            return false;
        }
        int fl = filter.length();
        int tl = topic.length();
        int f = 0;
        int t = 0;
        while (true) {
            int fEnd = levelEnd(filter, f);
            if (fEnd - f == 1 && filter.charAt(f) == '#') {
                return true;
            }
            int tEnd = levelEnd(topic, t);
            boolean plus = fEnd - f == 1 && filter.charAt(f) == '+';
            if (!plus && !(fEnd - f == tEnd - t && filter.regionMatches(f, topic, t, fEnd - f))) {
                return false;
            }
            boolean filterDone = fEnd == fl;
            boolean topicDone = tEnd == tl;
            if (filterDone || topicDone) {
                // "a/#" also matches "a": only a final "/#" may be left of the filter.
                return filterDone && topicDone || topicDone && fl - fEnd == 2 && filter.charAt(fl - 1) == '#';
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    /** MQTT 3.1.1 §4.7.1: '#' alone and last, '+' alone in its level; no NUL (§1.5.3); not empty (§4.7.3). */
    static boolean isValidFilter(String filter) {
        if (filter == null || filter.isEmpty() || filter.length() > MAX_LENGTH) {
            return false;
        }
        int length = filter.length();
        for (int i = 0; i < length; i++) {
            char c = filter.charAt(i);
            if (c == '\0') {
                return false;
            }
            boolean alone = (i == 0 || filter.charAt(i - 1) == '/') && (i == length - 1 || filter.charAt(i + 1) == '/');
            if (c == '+' && !alone || c == '#' && !(alone && i == length - 1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isValidTopicName(String topic) {
        if (topic.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\0') {
                return false;
            }
        }
        return true;
    }

    private static int levelEnd(String s, int from) {
        int slash = Scan.indexOf(s, '/', from, s.length());
        return slash < 0 ? s.length() : slash;
    }

    /**
     * Whether some telemetry topic of this shape matches the (valid) filter levels: the shape's levels,
     * then at most a bag level and the empty level of a trailing '/' (spec 3.4).
     */
    private static boolean couldMatch(String[] levels, String[] shape) {
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.equals("#")) {
                return true;
            }
            boolean plus = level.equals("+");
            if (i < shape.length) {
                if (!plus && (shape[i] == null ? level.isEmpty() : !shape[i].equals(level))) {
                    return false;
                }
            } else if (i == shape.length + 1) {
                if (!plus && !level.isEmpty()) {
                    return false;
                }
            } else if (i > shape.length + 1) {
                return false;
            }
        }
        return levels.length >= shape.length;
    }
}
