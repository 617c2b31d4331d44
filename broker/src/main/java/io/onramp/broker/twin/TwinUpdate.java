package io.onramp.broker.twin;

import io.vertx.core.json.JsonObject;

/**
 * What a service twin request body asks for: new tags and/or desired properties (null = not part
 * of the request). Read from the twin JSON the service SDKs send ({@code {"tags":…,
 * "properties":{"desired":…}}}); the Java SDK also sends every other twin field, mostly as null,
 * and those are ignored.
 */
public record TwinUpdate(JsonObject tags, JsonObject desired) {

    public static TwinUpdate fromServiceBody(JsonObject body) {
        JsonObject tags = object(body, "tags", "tags");
        JsonObject properties = object(body, "properties", "properties");
        JsonObject desired = properties == null ? null : object(properties, "desired", "properties.desired");
        if (properties != null && properties.getValue("reported") instanceof JsonObject reported && !reported.isEmpty()) {
            throw TwinValidator.invalid("Reported properties are written by the device only.");
        }
        return new TwinUpdate(tags, desired);
    }

    private static JsonObject object(JsonObject parent, String key, String path) {
        Object value = parent.getValue(key);
        if (value == null || value instanceof JsonObject) {
            return (JsonObject) value;
        }
        throw TwinValidator.invalid("'" + path + "' must be a JSON object.");
    }
}
