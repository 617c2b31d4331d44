package io.onramp.policy.enrollment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep, immutable copies of JSON-like values (String, Number, Boolean, null, Map, List). */
final class JsonValues {

    // Far deeper than any twin IoT Hub accepts; it only turns a cyclic structure into a clean error.
    private static final int MAX_DEPTH = 64;

    private JsonValues() {
    }

    /** Copies a JSON object; null becomes an empty map. Key order is kept and null values are allowed. */
    static Map<String, Object> copyObject(Map<String, ?> source, String field) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        return copyMap(source, field, 0);
    }

    private static Map<String, Object> copyMap(Map<?, ?> source, String path, int depth) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : source.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + ": object keys must be strings");
            }
            copy.put(key, copyValue(entry.getValue(), path + "." + key, depth + 1));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Map<?, ?> map) {
            return copyMap(map, path, depth);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(copyValue(list.get(i), path + "[" + i + "]", depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(path + ": unsupported JSON value type " + value.getClass().getName());
    }
}
