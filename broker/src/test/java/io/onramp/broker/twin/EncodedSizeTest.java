package io.onramp.broker.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EncodedSizeTest {

    @Test
    void neverUnderestimatesTheEncodedSize() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            JsonObject twin = object(random, 0);
            assertThat(EncodedSize.atMost(twin, Long.MAX_VALUE - 1)).isGreaterThanOrEqualTo(twin.toBuffer().length());
        }
    }

    @Test
    void theWorstCharactersAndNumbersStillFitTheBound() {
        JsonObject worst = new JsonObject().put("\u0001\u001f", "\u0000\u007f\uffff\ud83d\ude00\"\\")
                .put("n", -1.2345678901234567E-308).put("l", Long.MIN_VALUE).put("f", -Float.MIN_VALUE)
                .put("a", new JsonArray().add(Double.MAX_VALUE).add(true).addNull());
        assertThat(EncodedSize.atMost(worst, Long.MAX_VALUE - 1)).isGreaterThanOrEqualTo(worst.toBuffer().length());
    }

    @Test
    void decodedJsonWithRawMapsAndListsIsCounted() {
        JsonObject decoded = new JsonObject("{\"a\":{\"b\":[1,2,{\"c\":\"d\"}]},\"e\":[[\"f\"]]}");
        long bound = EncodedSize.atMost(decoded, 10_000);
        assertThat(bound).isGreaterThanOrEqualTo(decoded.toBuffer().length()).isLessThan(10_000);
        JsonObject fromMaps = new JsonObject(Map.of("m", Map.of("k", "v"), "l", List.of("x", 1)));
        assertThat(EncodedSize.atMost(fromMaps, 10_000)).isGreaterThanOrEqualTo(fromMaps.toBuffer().length());
    }

    @Test
    void bigNumbersAndOtherTypesAreLeftToAnExactMeasure() {
        assertThat(EncodedSize.atMost(new JsonObject().put("b", new BigDecimal("1e400")), 100)).isEqualTo(Long.MAX_VALUE);
        assertThat(EncodedSize.atMost(new JsonObject().put("b", BigInteger.TEN.pow(60)), 100)).isEqualTo(Long.MAX_VALUE);
        assertThat(EncodedSize.atMost(new JsonObject().put("bytes", new byte[3]), 100)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void stopsCountingPastTheLimit() {
        JsonObject big = new JsonObject();
        for (int i = 0; i < 10_000; i++) {
            big.put("k" + i, "v");
        }
        assertThat(EncodedSize.atMost(big, 100)).isGreaterThan(100).isLessThan(200);
    }

    private static JsonObject object(SplittableRandom random, int depth) {
        JsonObject object = new JsonObject();
        int members = random.nextInt(depth == 0 ? 8 : 4);
        for (int m = 0; m < members; m++) {
            object.put(text(random), value(random, depth));
        }
        return object;
    }

    private static Object value(SplittableRandom random, int depth) {
        switch (random.nextInt(depth < 4 ? 8 : 6)) {
            case 0: return null;
            case 1: return random.nextBoolean();
            case 2: return random.nextLong();
            case 3: return random.nextDouble() * Math.pow(10, random.nextInt(-300, 300));
            case 4: return random.nextInt();
            case 5: return text(random);
            case 6: return object(random, depth + 1);
            default:
                JsonArray array = new JsonArray();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(value(random, depth + 1));
                }
                return array;
        }
    }

    private static String text(SplittableRandom random) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            text.append((char) (random.nextBoolean() ? random.nextInt(0x20, 0x7f) : random.nextInt(0, 0xd7ff)));
        }
        return text.toString();
    }
}
