package io.onramp.broker.twin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * An upper bound of a JSON value's encoded size, without encoding it: every character counted as the
 * longest escape it could need. Twins are checked against their size limit at every write, and
 * encoding them to measure was a tenth of the store writer's CPU per new device.
 */
final class EncodedSize {

    /** A number's longest text: a double is at most 24 characters, a long 20. */
    private static final int NUMBER = 24;
    /** The longest encoding of one UTF-16 unit: {@code \\u0000} (a surrogate half is at most 3 bytes of UTF-8). */
    private static final int CHAR = 6;

    private EncodedSize() {}

    /** An upper bound of the encoded size of {@code values}; counting stops once the bound passes {@code stopAbove}. */
    static long atMost(JsonObject values, long stopAbove) {
        return object(values.getMap(), 0, stopAbove);
    }

    private static long object(Map<String, Object> map, long sum, long stopAbove) {
        sum += 2; // {}
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            sum += text(entry.getKey()) + 2; // :,
            sum = value(entry.getValue(), sum, stopAbove);
            if (sum > stopAbove) {
                return sum;
            }
        }
        return sum;
    }

    private static long value(Object value, long sum, long stopAbove) {
        if (value == null || value instanceof Boolean) {
            return sum + 5;
        }
        if (value instanceof String text) {
            return sum + text(text);
        }
        if (value instanceof JsonObject object) {
            return object(object.getMap(), sum, stopAbove);
        }
        if (value instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) map;
            return object(members, sum, stopAbove);
        }
        if (value instanceof JsonArray array) {
            return list(array.getList(), sum, stopAbove);
        }
        if (value instanceof List<?> list) {
            return list(list, sum, stopAbove);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Double || value instanceof Float
                || value instanceof Short || value instanceof Byte) {
            return sum + NUMBER;
        }
        // BigInteger, BigDecimal and whatever else: a bound above any limit, so that the caller encodes the
        // value and measures it exactly.
        return Long.MAX_VALUE;
    }

    private static long list(List<?> items, long sum, long stopAbove) {
        sum += 2; // []
        for (Object item : items) {
            sum = value(item, sum + 1, stopAbove); // ,
            if (sum > stopAbove) {
                return sum;
            }
        }
        return sum;
    }

    private static long text(String text) {
        return 2 + (long) CHAR * text.length();
    }
}
