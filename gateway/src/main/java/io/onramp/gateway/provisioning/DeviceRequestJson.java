package io.onramp.gateway.provisioning;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.onramp.gateway.error.ProvisioningException;
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

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final int MAX_SHOWN = 100;

    private DeviceRequestJson() {}

    /** The body as a JSON object; fails with 400004 naming the field that is twice or out of range. */
    public static JsonObject object(String text) {
        Object parsed;
        try {
            parsed = MAPPER.readValue(text, Object.class);
        } catch (JsonParseException e) {
            throw duplicate(e);
        } catch (JsonProcessingException e) {
            throw notAnObject();
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw notAnObject();
        }
        requireFinite(map, "");
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) map;
        return new JsonObject(fields);
    }

    /** Jackson says "Duplicate field 'x'" with the parser at that field: its name is the public part. */
    private static ProvisioningException duplicate(JsonParseException e) {
        JsonParser parser = e.getProcessor();
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field") && parser != null
                && parser.getParsingContext().getCurrentName() != null) {
            return ProvisioningException.badRequest("The request body has the field "
                    + shown(parser.getParsingContext().getCurrentName()) + " more than once; send each field once.");
        }
        return notAnObject();
    }

    /** A field name as the device sent it, cut short: it goes back in the error body and into the log. */
    private static String shown(String name) {
        return name.length() <= MAX_SHOWN ? name : name.substring(0, MAX_SHOWN) + "...";
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
            throw ProvisioningException.badRequest("The request body's " + shown(path) + " is a number out of range (beyond a double); send it as a string.");
        }
    }
}
