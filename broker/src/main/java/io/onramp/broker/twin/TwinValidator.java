package io.onramp.broker.twin;

import io.onramp.broker.hub.HubException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * Checks twin JSON against the IoT Hub rules (hub-device-protocol.md 3.6, 6.2): property names,
 * nesting depth, string length, integer range and section size. Every refusal is a 400
 * {@code ArgumentInvalid} whose message names the property, so a caller can fix its request.
 */
public final class TwinValidator {

    static final String ARGUMENT_INVALID = "ArgumentInvalid";
    private static final BigInteger MAX = BigInteger.valueOf(TwinLimits.MAX_INTEGER);
    private static final BigInteger MIN = MAX.negate();

    private TwinValidator() {}

    /** Checks a patch or a whole section of {@code section} ("tags", "desired", "reported"); null members are allowed (they delete). */
    public static void check(String section, JsonObject values) {
        checkObject(section, values, 0);
    }

    /** Checks the encoded size of a section's values (without {@code $version} and {@code $metadata}). */
    public static void checkSize(String section, JsonObject values, int limit) {
        if (EncodedSize.atMost(values, limit) <= limit) {
            return; // the usual twin, far below its limit: no need to encode it
        }
        int size = values.toBuffer().length();
        if (size > limit) {
            throw invalid("The " + section + " section would be " + size + " bytes; the limit is " + limit + " bytes.");
        }
    }

    public static HubException invalid(String message) {
        return new HubException(400, ARGUMENT_INVALID, message);
    }

    private static void checkObject(String path, JsonObject object, int depth) {
        for (String key : object.fieldNames()) {
            checkKey(path, key);
            checkValue(path + "." + key, object.getValue(key), depth);
        }
    }

    private static void checkValue(String path, Object value, int depth) {
        if (value == null || value instanceof Boolean) {
            return;
        }
        if (value instanceof JsonObject object) {
            checkDepth(path, depth + 1);
            checkObject(path, object, depth + 1);
        } else if (value instanceof JsonArray array) {
            checkDepth(path, depth + 1);
            for (int i = 0; i < array.size(); i++) {
                checkValue(path + "[" + i + "]", array.getValue(i), depth + 1);
            }
        } else if (value instanceof String text) {
            if (text.length() > TwinLimits.MAX_STRING_BYTES / 3
                    && text.getBytes(StandardCharsets.UTF_8).length > TwinLimits.MAX_STRING_BYTES) {
                throw invalid("The value of " + shown(path) + " is longer than " + TwinLimits.MAX_STRING_BYTES + " bytes.");
            }
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return;
        } else if (value instanceof Long || value instanceof BigInteger) {
            BigInteger integer = value instanceof Long l ? BigInteger.valueOf(l) : (BigInteger) value;
            if (integer.compareTo(MAX) > 0 || integer.compareTo(MIN) < 0) {
                throw invalid("The value of " + shown(path) + " is outside the integer range ±" + TwinLimits.MAX_INTEGER + ".");
            }
        } else if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw invalid("The value of " + shown(path) + " is not a finite number.");
            }
        } else {
            throw invalid("The value of " + shown(path) + " is not a JSON value.");
        }
    }

    private static void checkDepth(String path, int depth) {
        if (depth > TwinLimits.MAX_DEPTH) {
            throw invalid(shown(path) + " is nested deeper than " + TwinLimits.MAX_DEPTH + " levels.");
        }
    }

    private static void checkKey(String path, String key) {
        if (key.length() > TwinLimits.MAX_KEY_BYTES / 3 && key.getBytes(StandardCharsets.UTF_8).length > TwinLimits.MAX_KEY_BYTES) {
            throw invalid("A property name in " + shown(path) + " is longer than " + TwinLimits.MAX_KEY_BYTES + " bytes.");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '.' || c == '$' || c == ' ' || Character.isISOControl(c)) {
                throw invalid("The property name " + shown(path + "." + key) + " is invalid: names may not contain"
                        + " '.', '$', spaces or control characters.");
            }
        }
    }

    /** A path for a message: printable, and short enough not to echo a huge input back. */
    private static String shown(String path) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < path.length() && i < 120; i++) {
            char c = path.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.append(path.length() > 120 ? "…'" : "'").toString();
    }
}
