package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The device's registration payload, echoed in {@code registrationState.payload}, which must be a
 * JSON object (Java parses it into a JsonObject). Java sends the payload as a string of JSON text,
 * Node and C as an object, Python as null: a string holding an object becomes that object, any
 * other value is wrapped as {@code {"value": ...}}.
 */
final class Payloads {

    private Payloads() {}

    /** Returns the payload as JSON object text, or null when there is none. */
    static String normalize(Object payload) {
        if (payload == null) {
            return null;
        }
        if (payload instanceof JsonObject object) {
            return object.encode();
        }
        if (payload instanceof Map<?, ?> map) {
            return new JsonObject(cast(map)).encode();
        }
        if (payload instanceof String text) {
            String trimmed = text.trim();
            if (trimmed.startsWith("{")) {
                try {
                    return DeviceRequestJson.object(trimmed).encode();
                } catch (ProvisioningException notAnObject) {
                    // fall through: kept as the string it is (a field twice or an out-of-range number included)
                }
            }
        }
        return new JsonObject().put("value", payload).encode();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
