package io.onramp.broker.twin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** JSON merge-patch helpers for twin sections: objects merge recursively, null deletes, anything else replaces. */
public final class JsonPatches {

    private JsonPatches() {}

    /** {@code target} with {@code patch} merged in; neither argument changes. */
    public static JsonObject merge(JsonObject target, JsonObject patch) {
        JsonObject result = target.copy();
        mergeInto(result, patch);
        return result;
    }

    private static void mergeInto(JsonObject target, JsonObject patch) {
        for (String key : patch.fieldNames()) {
            Object value = patch.getValue(key);
            if (value == null) {
                target.remove(key);
            } else if (value instanceof JsonObject object) {
                JsonObject child = target.getValue(key) instanceof JsonObject existing ? existing : new JsonObject();
                mergeInto(child, object);
                target.put(key, child);
            } else {
                target.put(key, copy(value));
            }
        }
    }

    /**
     * The patch that turns {@code from} into {@code to}: new and changed members with their new
     * value, removed ones as null, nested objects as nested patches. A device that merges it into
     * its cached copy ends with {@code to}, which is why a replace is notified this way.
     */
    public static JsonObject diff(JsonObject from, JsonObject to) {
        JsonObject patch = new JsonObject();
        for (String key : to.fieldNames()) {
            Object now = to.getValue(key);
            Object before = from.getValue(key);
            if (!from.containsKey(key)) {
                patch.put(key, copy(now));
            } else if (now instanceof JsonObject nowObject && before instanceof JsonObject beforeObject) {
                JsonObject nested = diff(beforeObject, nowObject);
                if (!nested.isEmpty()) {
                    patch.put(key, nested);
                }
            } else if (!sameValue(before, now)) {
                patch.put(key, copy(now));
            }
        }
        for (String key : from.fieldNames()) {
            if (!to.containsKey(key)) {
                patch.putNull(key);
            }
        }
        return patch;
    }

    /** A deep copy without null members: what a whole section (not a patch) means by its nulls. */
    public static JsonObject withoutNulls(JsonObject object) {
        JsonObject result = new JsonObject();
        for (String key : object.fieldNames()) {
            Object value = object.getValue(key);
            if (value instanceof JsonObject nested) {
                result.put(key, withoutNulls(nested));
            } else if (value != null) {
                result.put(key, copy(value));
            }
        }
        return result;
    }

    /** {@code object} without the {@code $version} and {@code $metadata} a client may echo back from a twin it read. */
    public static JsonObject withoutSystemKeys(JsonObject object) {
        JsonObject result = new JsonObject();
        for (String key : object.fieldNames()) {
            if (!key.equals(TwinSection.VERSION) && !key.equals(TwinSection.METADATA)) {
                result.put(key, object.getValue(key));
            }
        }
        return result;
    }

    static Object copy(Object value) {
        if (value instanceof JsonObject object) {
            return object.copy();
        }
        if (value instanceof JsonArray array) {
            return array.copy();
        }
        return value;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.getClass() == y.getClass() ? x.equals(y) : x.toString().equals(y.toString());
        }
        return a == null ? b == null : a.equals(b);
    }
}
