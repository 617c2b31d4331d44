package io.onramp.gateway.mqtt;

import io.onramp.certs.text.PercentCodec;

/** The DPS request and response topics (dps-device-protocol.md 7.2–7.4). */
final class DpsTopics {

    static final String RESPONSE_FILTER = "$dps/registrations/res/#";
    private static final String REGISTER = "$dps/registrations/PUT/iotdps-register/?";
    private static final String STATUS = "$dps/registrations/GET/iotdps-get-operationstatus/?";

    private DpsTopics() {}

    sealed interface Request permits Register, Status, Unknown {}

    record Register(String rid) implements Request {}

    record Status(String rid, String operationId) implements Request {}

    record Unknown() implements Request {}

    static Request parse(String topic) {
        if (topic.startsWith(REGISTER)) {
            String rid = param(topic.substring(REGISTER.length()), "$rid", false);
            return rid == null ? new Unknown() : new Register(rid);
        }
        if (topic.startsWith(STATUS)) {
            String query = topic.substring(STATUS.length());
            String rid = param(query, "$rid", false);
            String operationId = param(query, "operationId", true);
            return rid == null || operationId == null ? new Unknown() : new Status(rid, operationId);
        }
        return new Unknown();
    }

    /** The rid is echoed byte for byte, so it is never decoded; the operation ID is. */
    private static String param(String query, String name, boolean decode) {
        for (String pair : query.split("&")) {
            if (pair.startsWith(name + "=")) {
                String value = pair.substring(name.length() + 1);
                if (value.isEmpty()) {
                    return null;
                }
                try {
                    return decode ? PercentCodec.decode(value) : value;
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** {@code $rid} first, then {@code retry-after}: Java and Python read them by position. */
    static String response(int status, String rid, Integer retryAfterSeconds) {
        String topic = "$dps/registrations/res/" + status + "/?$rid=" + rid;
        return retryAfterSeconds == null ? topic : topic + "&retry-after=" + retryAfterSeconds;
    }
}
