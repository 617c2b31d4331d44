package io.onramp.broker.twin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.onramp.broker.hub.HubException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TwinValidatorTest {

    @ParameterizedTest
    @ValueSource(strings = {"a.b", "$x", "a b", "tab\tkey", "nul\u0000", "c1\u0085"})
    void propertyNamesWithDotsDollarsSpacesOrControlCharactersAreRefused(String key) {
        assertRefused(new JsonObject().put(key, 1), "property name");
    }

    @Test
    void theRulesApplyAtEveryLevelAndInsideArrays() {
        assertRefused(new JsonObject().put("ok", new JsonObject().put("bad.key", 1)), "'desired.ok.bad.key'");
        assertRefused(new JsonObject().put("list", new JsonArray().add(new JsonObject().put("a b", 1))), "list[0]");
    }

    @Test
    void namesUpTo1KiBAreAccepted() {
        assertThatNoException().isThrownBy(() -> TwinValidator.check("desired", new JsonObject().put("k".repeat(1024), 1)));
        assertRefused(new JsonObject().put("k".repeat(1025), 1), "longer than 1024 bytes");
        // bytes, not characters: 400 three-byte characters are 1200 bytes
        assertRefused(new JsonObject().put("€".repeat(400), 1), "longer than 1024 bytes");
    }

    @Test
    void tenLevelsOfNestingAreTheLimit() {
        assertThatNoException().isThrownBy(() -> TwinValidator.check("desired", nested(10)));
        assertRefused(nested(11), "nested deeper than 10 levels");
    }

    @Test
    void stringsUpTo4KiBAreAccepted() {
        assertThatNoException().isThrownBy(() -> TwinValidator.check("desired", new JsonObject().put("s", "x".repeat(4096))));
        assertRefused(new JsonObject().put("s", "x".repeat(4097)), "'desired.s' is longer than 4096 bytes");
    }

    static Stream<Object> outOfRange() {
        return Stream.of(4503599627370497L, -4503599627370497L, Long.MAX_VALUE, new BigInteger("123456789012345678901234567890"));
    }

    @ParameterizedTest
    @MethodSource("outOfRange")
    void integersBeyond2To52AreRefused(Object value) {
        assertRefused(new JsonObject().put("n", value), "outside the integer range");
    }

    @Test
    void integersAt2To52AndDecimalsAreAccepted() {
        assertThatNoException().isThrownBy(() -> TwinValidator.check("desired", new JsonObject()
                .put("max", 4503599627370496L).put("min", -4503599627370496L).put("d", 1.0e300).put("b", true).put("n", null)));
    }

    @Test
    void parsedJsonIsCheckedTheSameWay() {
        assertRefused(new JsonObject("{\"big\":9007199254740993}"), "outside the integer range");
    }

    @Test
    void sectionSizeIsMeasuredInEncodedBytes() {
        JsonObject values = new JsonObject().put("s", "x".repeat(4000));
        assertThatNoException().isThrownBy(() -> TwinValidator.checkSize("tags", values, 8 * 1024));
        JsonObject tooBig = new JsonObject();
        for (int i = 0; i < 3; i++) {
            tooBig.put("s" + i, "x".repeat(4000));
        }
        assertThatThrownBy(() -> TwinValidator.checkSize("tags", tooBig, 8 * 1024))
                .isInstanceOf(HubException.class).hasMessageContaining("limit is 8192 bytes");
    }

    private static JsonObject nested(int depth) {
        JsonObject root = new JsonObject();
        JsonObject level = root;
        for (int i = 1; i <= depth; i++) {
            JsonObject next = new JsonObject();
            level.put("l" + i, next);
            level = next;
        }
        level.put("leaf", 1);
        return root;
    }

    private static void assertRefused(JsonObject values, String messagePart) {
        assertThatThrownBy(() -> TwinValidator.check("desired", values))
                .isInstanceOfSatisfying(HubException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errorCode()).isEqualTo("ArgumentInvalid");
                })
                .hasMessageContaining(messagePart);
    }
}
