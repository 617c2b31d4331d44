package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"pump-07", "node-sym-mqtt-ws", "x509-group-dev-1", "a", "A.b_c:d", "-.+%_#*?!(),=@$'"})
    void validIds(String id) {
        assertThat(Ids.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a/b", "a&b", "a;b", "a\u0000", "a\n", "é", "a\"b", "<a>"})
    void invalidIds(String id) {
        assertThat(Ids.isValid(id)).isFalse();
    }

    @Test
    void atMost128Characters() {
        assertThat(Ids.isValid("x".repeat(128))).isTrue();
        assertThat(Ids.isValid("x".repeat(129))).isFalse();
    }

    @Test
    void aLevelNamesAnIdRawOrDecodedAndExactly() {
        assertThat(Ids.segmentNames("devices/pump-07/x", 8, 15, "pump-07")).isTrue();
        assertThat(Ids.segmentNames("devices/pump%2D07/x", 8, 17, "pump-07")).isTrue();
        assertThat(Ids.segmentNames("devices/a%41/x", 8, 12, "a%41")).isTrue();
        assertThat(Ids.segmentNames("devices/a%41/x", 8, 12, "aA")).isTrue();
        assertThat(Ids.segmentNames("devices/Pump-07/x", 8, 15, "pump-07")).isFalse();
        assertThat(Ids.segmentNames("devices/pump-07/x", 8, 14, "pump-07")).isFalse();
        assertThat(Ids.segmentNames("devices/%zz/x", 8, 11, "pump-07")).isFalse();
    }
}
