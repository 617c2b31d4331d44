package io.onramp.gateway.provisioning;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.json.StrictJson;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a device's request body, read strictly, by every provisioning head (HTTPS, MQTT, AMQP): a field
 * twice is refused, not settled by the last value (which one a proxy or a log reader sees is a guess), and so is
 * a number beyond a double's range, which would become "Infinity", a string, in the echoed payload.
 * Nesting and number length keep Jackson's limits (1,000 levels, 1,000 digits).
 */
public final class DeviceRequestJson {

    private DeviceRequestJson() {}

    /** The body as a JSON object; fails with 400004 naming the field that is twice or out of range. */
    public static JsonObject object(String text) {
        Object parsed;
        try {
            parsed = StrictJson.MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw StrictJson.duplicateKey(e)
                    .map(key -> ProvisioningException.badRequest("The request body has the field "
                            + StrictJson.shown(key) + " more than once; send each field once."))
                    .orElseGet(DeviceRequestJson::notAnObject);
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw notAnObject();
        }
        requireFinite(map, "");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonObject(fields);
    }

    private static ProvisioningException notAnObject() {
        return ProvisioningException.badRequest("The request body is not a valid JSON object.");
    }

    private static void requireFinite(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((name, field) -> requireFinite(field, path.isEmpty() ? (String) name : path + "." + name));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                requireFinite(list.get(i), path + "[" + i + "]");
            }
        } else if (value instanceof Double number && !Double.isFinite(number)) {
            throw ProvisioningException.badRequest("The request body's " + StrictJson.shown(path) + " is a number out of range (beyond a double); send it as a string.");
        }
    }
}
