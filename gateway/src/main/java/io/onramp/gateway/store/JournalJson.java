package io.onramp.gateway.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A journal record's JSON, written member by member to Jackson's generator. Building a {@code JsonObject} first
 * and encoding it walked every value through Vert.x's type tests, which took as long as writing the JSON; the
 * records are written on the store's one writer thread, once per write. Null members are left out: the decoder
 * reads them as absent.
 */
final class JournalJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    /** Writes a record's members, its {@code kind} already written. */
    @FunctionalInterface
    interface Members {
        void write(JournalJson record) throws IOException;
    }

    private final JsonGenerator generator;

    private JournalJson(JsonGenerator generator) {
        this.generator = generator;
    }

    static byte[] encode(String kind, Members members) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator generator = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            generator.writeStartObject();
            generator.writeStringField("kind", kind);
            members.write(new JournalJson(generator));
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    JournalJson string(String name, String value) throws IOException {
        if (value != null) {
            generator.writeStringField(name, value);
        }
        return this;
    }

    /** A whole number (an {@code Integer} or a {@code Long}: the records hold no other kind). */
    JournalJson number(String name, Number value) throws IOException {
        if (value != null) {
            generator.writeNumberField(name, value.longValue());
        }
        return this;
    }

    JournalJson bool(String name, boolean value) throws IOException {
        generator.writeBooleanField(name, value);
        return this;
    }

    /**
     * A JSON value as Vert.x holds it (maps, lists, {@code JsonObject}s, strings, numbers, booleans), written directly;
     * a value with anything else inside goes through Vert.x's own encoding, as {@code JsonObject.encode()} would take
     * it, rather than failing the write's whole group (checked first: the generator cannot take back what it wrote).
     */
    JournalJson json(String name, Object value) throws IOException {
        generator.writeFieldName(name);
        if (plainJson(value)) {
            JacksonCodec.encodeJson(value, generator);
        } else {
            generator.writeRawValue(Json.encode(value));
        }
        return this;
    }

    private static boolean plainJson(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean) {
            return true;
        }
        if (value instanceof JsonObject object) {
            return plainJson(object.getMap());
        }
        if (value instanceof JsonArray array) {
            return plainJson(array.getList());
        }
        if (value instanceof Map<?, ?> map) {
            return allPlainJson(map.values());
        }
        return value instanceof List<?> list && allPlainJson(list);
    }

    private static boolean allPlainJson(Iterable<?> values) {
        for (Object value : values) {
            if (!plainJson(value)) {
                return false;
            }
        }
        return true;
    }
}
