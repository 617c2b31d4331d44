package io.onramp.gateway.json;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.DatabindCodec;
import io.vertx.core.json.jackson.JacksonCodec;
import io.vertx.core.spi.JsonFactory;
import io.vertx.core.spi.json.JsonCodec;

/**
 * Vert.x's JSON codec with encoding through Jackson's streaming generator. With jackson-databind on the
 * classpath Vert.x encodes every {@code JsonObject} through an {@code ObjectMapper}, which builds a serializer
 * provider and looks serializers up on every call: in a profile of the provisioning bench that overhead, and the
 * garbage it made, was twice the cost of writing the JSON itself, on every answer, journal record and twin. JSON
 * made only of JSON types (maps, lists, strings, numbers, booleans; Vert.x's extras: instants, bytes, buffers,
 * enums) is now written directly, as Vert.x does without databind; anything else, and all decoding and mapping,
 * still goes through databind. Found by Vert.x's {@code JsonFactory} service loader, ahead of its default.
 */
public final class StreamingJsonFactory implements JsonFactory {

    private static final JsonCodec CODEC = new StreamingEncodeCodec();

    @Override
    public int order() {
        return 0;
    }

    @Override
    public JsonCodec codec() {
        return CODEC;
    }

    /** Databind's codec, encoding through the streaming one where it can. */
    static final class StreamingEncodeCodec extends DatabindCodec {

        private final JacksonCodec streaming = new JacksonCodec();

        @Override
        public String toString(Object object, boolean pretty) throws EncodeException {
            try {
                return streaming.toString(object, pretty);
            } catch (EncodeException notJsonTypesOnly) {
                return super.toString(object, pretty);
            }
        }

        @Override
        public Buffer toBuffer(Object object, boolean pretty) throws EncodeException {
            try {
                return streaming.toBuffer(object, pretty);
            } catch (EncodeException notJsonTypesOnly) {
                return super.toBuffer(object, pretty);
            }
        }
    }
}
