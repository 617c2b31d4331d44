package io.onramp.gateway.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

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

    JournalJson number(String name, Long value) throws IOException {
        if (value != null) {
            generator.writeNumberField(name, value);
        }
        return this;
    }

    JournalJson number(String name, Integer value) throws IOException {
        if (value != null) {
            generator.writeNumberField(name, value);
        }
        return this;
    }

    JournalJson bool(String name, boolean value) throws IOException {
        generator.writeBooleanField(name, value);
        return this;
    }

    /** A JSON value as Vert.x holds it (maps, lists, {@code JsonObject}s, strings, numbers, booleans). */
    JournalJson json(String name, Object value) throws IOException {
        generator.writeFieldName(name);
        JacksonCodec.encodeJson(value, generator);
        return this;
    }
}
