package io.onramp.gateway.http;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A direct method call as the service SDKs send it:
 * {@code {"methodName":"reboot","payload":{…},"responseTimeoutInSeconds":30,"connectTimeoutInSeconds":0}}.
 * The name goes raw into an MQTT topic segment, so characters that would change the topic are refused
 * (hub-device-protocol.md 3.7).
 */
record MethodRequest(String methodName, String payloadJson, Duration responseTimeout, Duration connectTimeout) {

    static final int MAX_NAME = 128;
    static final int MAX_PAYLOAD_BYTES = 128 * 1024;
    static final int DEFAULT_RESPONSE_TIMEOUT = 30;
    static final int MIN_RESPONSE_TIMEOUT = 5;
    static final int MAX_TIMEOUT = 300;

    static MethodRequest parse(JsonObject body) {
        Object name = body.getValue("methodName");
        if (!(name instanceof String methodName) || methodName.isEmpty() || methodName.length() > MAX_NAME) {
            throw HubRequests.badRequest("methodName must be a string of 1 to " + MAX_NAME + " characters.");
        }
        for (int i = 0; i < methodName.length(); i++) {
            char c = methodName.charAt(i);
            if ("/?#+&%".indexOf(c) >= 0 || c <= ' ' || c >= 0x7f) {
                throw HubRequests.badRequest("methodName may not contain / ? # + & %, spaces or control characters.");
            }
        }
        // A device SDK parses the payload as JSON: no payload is sent as null, never as nothing.
        String payload = Json.encode(body.getValue("payload"));
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            throw HubRequests.badRequest("The method payload is larger than " + MAX_PAYLOAD_BYTES + " bytes.");
        }
        int response = seconds(body, "responseTimeoutInSeconds", DEFAULT_RESPONSE_TIMEOUT, MIN_RESPONSE_TIMEOUT);
        int connect = seconds(body, "connectTimeoutInSeconds", 0, 0);
        return new MethodRequest(methodName, payload, Duration.ofSeconds(response), Duration.ofSeconds(connect));
    }

    private static int seconds(JsonObject body, String field, int fallback, int min) {
        Object value = body.getValue(field);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long) {
            long seconds = ((Number) value).longValue();
            if (seconds >= min && seconds <= MAX_TIMEOUT) {
                return (int) seconds;
            }
        }
        throw HubRequests.badRequest(field + " must be an integer from " + min + " to " + MAX_TIMEOUT + ".");
    }
}
