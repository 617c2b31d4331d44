package io.onramp.broker.topic;

import java.util.Objects;

/** The parser behind {@link DeviceTopic#parse}: index arithmetic, no regex, no split (telemetry is the hot path). */
final class DeviceTopicParser {

    private static final String DEVICES = "devices/";
    private static final String MODULES = "/modules/";
    private static final String EVENTS = "/messages/events";
    private static final String IOTHUB = "$iothub/";
    private static final String TWIN_GET = "$iothub/twin/GET/?";
    private static final String TWIN_PATCH_REPORTED = "$iothub/twin/PATCH/properties/reported/?";
    private static final String METHOD_RESPONSE = "$iothub/methods/res/";
    private static final String RID = "$rid";
    private static final String VERSION = "$version";

    private DeviceTopicParser() {
    }

    static DeviceTopic parse(String topic, String deviceId, String moduleId) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (moduleId != null && moduleId.isEmpty()) {
            throw new IllegalArgumentException("empty moduleId: pass null for a device identity");
        }
        if (topic == null || topic.isEmpty()) {
            return forbidden("empty topic");
        }
        // MQTT 3.1.1 §4.7.1 bans wildcards from topic names and §1.5.3 bans U+0000 from strings.
        for (int i = 0, n = topic.length(); i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#' || c == '\0') {
                return forbidden("wildcard or NUL in a topic name");
            }
        }
        if (topic.startsWith(DEVICES)) {
            return telemetry(topic, deviceId, moduleId);
        }
        if (topic.startsWith(IOTHUB)) {
            return iothub(topic);
        }
        return forbidden("unknown topic");
    }

    private static DeviceTopic telemetry(String topic, String deviceId, String moduleId) {
        int length = topic.length();
        int idStart = DEVICES.length();
        int idEnd = Scan.indexOf(topic, '/', idStart, length);
        if (idEnd < 0) {
            return forbidden("unknown topic");
        }
        if (!Ids.segmentNames(topic, idStart, idEnd, deviceId)) {
            return forbidden("another device's topic");
        }
        int at = idEnd;
        if (topic.startsWith(MODULES, at)) {
            if (moduleId == null) {
                return forbidden("module topic on a device connection");
            }
            int moduleStart = at + MODULES.length();
            int moduleEnd = Scan.indexOf(topic, '/', moduleStart, length);
            if (moduleEnd < 0 || !Ids.segmentNames(topic, moduleStart, moduleEnd, moduleId)) {
                return forbidden("another module's topic");
            }
            at = moduleEnd;
        } else if (moduleId != null) {
            return forbidden("device topic on a module connection");
        }
        if (!topic.startsWith(EVENTS, at)) {
            return forbidden("unknown topic");
        }
        at += EVENTS.length();
        int bagStart;
        if (at == length) {
            bagStart = at;
        } else if (topic.charAt(at) == '/') {
            bagStart = at + 1;
        } else {
            return forbidden("unknown topic");
        }
        // The bag is one level, optionally followed by a single '/' (spec 3.4).
        int slash = Scan.indexOf(topic, '/', bagStart, length);
        if (slash >= 0 && slash != length - 1) {
            return forbidden("too many levels after messages/events");
        }
        try {
            return new DeviceTopic.Telemetry(moduleId, PropertyBag.parse(topic, bagStart, length));
        } catch (IllegalArgumentException e) {
            return forbidden("malformed property bag: " + e.getMessage());
        }
    }

    private static DeviceTopic iothub(String topic) {
        if (topic.startsWith(TWIN_GET)) {
            Query query = Query.parse(topic, TWIN_GET.length());
            if (query.problem != null) {
                return forbidden(query.problem);
            }
            return new DeviceTopic.TwinGet(query.rid);
        }
        if (topic.startsWith(TWIN_PATCH_REPORTED)) {
            Query query = Query.parse(topic, TWIN_PATCH_REPORTED.length());
            if (query.problem != null) {
                return forbidden(query.problem);
            }
            Integer version = null;
            if (query.version != null) {
                version = nonNegativeInt(query.version);
                if (version == null) {
                    return forbidden("$version is not a non-negative 32-bit integer");
                }
            }
            return new DeviceTopic.TwinReportedPatch(query.rid, version);
        }
        if (topic.startsWith(METHOD_RESPONSE)) {
            int statusStart = METHOD_RESPONSE.length();
            int statusEnd = Scan.indexOf(topic, '/', statusStart, topic.length());
            if (statusEnd < 0 || !topic.startsWith("/?", statusEnd)) {
                return forbidden("unknown topic");
            }
            Integer status = signedInt(topic.substring(statusStart, statusEnd));
            if (status == null) {
                return forbidden("method status is not a 32-bit integer");
            }
            Query query = Query.parse(topic, statusEnd + 2);
            if (query.problem != null) {
                return forbidden(query.problem);
            }
            return new DeviceTopic.MethodResponse(status, query.rid);
        }
        // Includes other twin sub-resources such as PATCH of desired properties. Spec 3.6 lists 400 for
        // those, but DeviceTopic has no "answer 400" variant: they are closed like any unknown topic (3.2).
        return forbidden("unknown topic");
    }

    /** Digits only (Java's {@code Integer.parseInt} would also take a sign or non-ASCII digits). */
    static Integer nonNegativeInt(String s) {
        if (s.isEmpty() || s.length() > 10) {
            return null;
        }
        long value = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            value = value * 10 + (c - '0');
        }
        return value <= Integer.MAX_VALUE ? (int) value : null;
    }

    private static Integer signedInt(String s) {
        if (s.startsWith("-")) {
            Integer magnitude = nonNegativeInt(s.substring(1));
            return magnitude == null ? null : -magnitude;
        }
        return nonNegativeInt(s);
    }

    private static DeviceTopic.Forbidden forbidden(String reason) {
        return new DeviceTopic.Forbidden(reason);
    }

    /**
     * The query of a twin or method topic. {@code $rid} is required and kept byte-for-byte (spec 3.6: it is
     * opaque and echoed exactly); unknown parameters are ignored; a repeated {@code $rid} or
     * {@code $version} is refused rather than guessed at.
     */
    private static final class Query {
        String rid;
        String version;
        String problem;

        static Query parse(String topic, int from) {
            Query query = new Query();
            int length = topic.length();
            int start = from;
            while (start <= length && query.problem == null) {
                int end = Scan.indexOf(topic, '&', start, length);
                if (end < 0) {
                    end = length;
                }
                int eq = Scan.indexOf(topic, '=', start, end);
                int nameEnd = eq < 0 ? end : eq;
                String value = eq < 0 ? "" : topic.substring(eq + 1, end);
                if (topic.startsWith(RID, start) && nameEnd - start == RID.length()) {
                    query.rid = query.rid == null ? value : query.problem("repeated $rid");
                } else if (topic.startsWith(VERSION, start) && nameEnd - start == VERSION.length()) {
                    query.version = query.version == null ? value : query.problem("repeated $version");
                }
                start = end + 1;
            }
            if (query.problem == null && (query.rid == null || query.rid.isEmpty())) {
                query.problem = "missing $rid";
            }
            return query;
        }

        private String problem(String problem) {
            this.problem = problem;
            return null;
        }
    }
}
