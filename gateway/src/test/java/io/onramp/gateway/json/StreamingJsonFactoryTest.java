package io.onramp.gateway.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.DatabindCodec;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Vert.x finds the codec, and it writes what databind wrote, byte for byte, falling back to databind for the rest. */
class StreamingJsonFactoryTest {

    private static final DatabindCodec DATABIND = new DatabindCodec();

    /** A bean only databind can write: what the fallback is for. */
    public record Bean(String name, int count) {}

    private static JsonObject everyJsonType() {
        return new JsonObject().put("text", "dévice \"7\"\n\u2028").put("int", 7).put("long", Long.MAX_VALUE)
                .put("double", 0.1).put("decimal", new BigDecimal("12.50")).put("yes", true).putNull("none")
                .put("when", Instant.parse("2026-11-28T12:00:00.123Z")).put("bytes", new byte[] {1, 2, 3})
                .put("buffer", Buffer.buffer("raw")).put("list", List.of(1, "two", Map.of("three", 3)))
                .put("array", new JsonArray().add(new JsonObject().put("nested", new JsonArray())))
                .put("map", Map.of("k", List.of()));
    }

    @Test
    void vertxUsesIt() {
        assertThat(Json.CODEC).isInstanceOf(StreamingJsonFactory.StreamingEncodeCodec.class);
        assertThat(new StreamingJsonFactory().order()).isLessThan(new io.vertx.core.json.jackson.JacksonFactory().order());
    }

    @Test
    void writesWhatDatabindWrote() {
        JsonObject json = everyJsonType();
        assertThat(json.encode()).isEqualTo(DATABIND.toString(json, false));
        assertThat(json.encodePrettily()).isEqualTo(DATABIND.toString(json, true));
        assertThat(json.toBuffer()).isEqualTo(DATABIND.toBuffer(json, false));
        assertThat(new JsonArray().add(json).encode()).isEqualTo(DATABIND.toString(new JsonArray().add(json), false));
    }

    @Test
    void fallsBackToDatabindForOtherTypes() {
        JsonObject json = new JsonObject().put("first", "kept").put("bean", new Bean("press-7", 3));
        assertThat(json.encode()).isEqualTo("{\"first\":\"kept\",\"bean\":{\"name\":\"press-7\",\"count\":3}}");
        assertThat(json.toBuffer().toString()).isEqualTo(json.encode());
    }

    @Test
    void decodingAndMappingAreDatabinds() {
        assertThat(new JsonObject("{\"name\":\"press-7\",\"count\":3}").mapTo(Bean.class)).isEqualTo(new Bean("press-7", 3));
        assertThat(JsonObject.mapFrom(new Bean("a", 1)).encode()).isEqualTo("{\"name\":\"a\",\"count\":1}");
    }
}
