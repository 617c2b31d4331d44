package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MessagePropertiesTest {

    @Test
    void emptyIsEmpty() {
        assertThat(MessageProperties.EMPTY.system()).isEmpty();
        assertThat(MessageProperties.EMPTY.application()).isEmpty();
        assertThat(MessageProperties.EMPTY.sizeWith(10)).isEqualTo(10);
    }

    @Test
    void nullMapsAreEmpty() {
        assertThat(new MessageProperties(null, null)).isEqualTo(MessageProperties.EMPTY);
    }

    @Test
    void theConstructorCopiesSoTheCallerCannotChangeItLater() {
        Map<String, String> system = new LinkedHashMap<>();
        system.put("message-id", "1");
        system.put("content-type", "text/plain");
        MessageProperties properties = new MessageProperties(system, Map.of());

        system.put("to", "later");

        assertThat(properties.system()).containsExactly(entry("message-id", "1"), entry("content-type", "text/plain"));
        assertThatThrownBy(() -> properties.system().remove("message-id")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullValuesAreKeptButNullNamesAreRefused() {
        Map<String, String> withNullValue = new HashMap<>();
        withNullValue.put("a", null);
        Map<String, String> withNullName = new HashMap<>();
        withNullName.put(null, "a");

        assertThat(new MessageProperties(Map.of(), withNullValue).application()).containsEntry("a", null);
        assertThatThrownBy(() -> new MessageProperties(withNullName, Map.of())).isInstanceOf(NullPointerException.class);
    }

    @Test
    void equalityIsByContent() {
        assertThat(PropertyBag.parse("$.mid=1&a=2"))
                .isEqualTo(new MessageProperties(Map.of("message-id", "1"), Map.of("a", "2")))
                .hasSameHashCodeAs(new MessageProperties(Map.of("message-id", "1"), Map.of("a", "2")));
    }

    @Test
    void sizeCountsBodySystemValuesAndApplicationNamesAndValues() {
        MessageProperties properties = PropertyBag.parse("$.mid=abc&$.ct=application%2Fjson&room=kitchen");

        // 100 + "abc" + "application/json" + "room" + "kitchen"; system names are not counted.
        assertThat(properties.sizeWith(100)).isEqualTo(100 + 3 + 16 + 4 + 7);
    }

    @Test
    void sizeCountsUtf8Bytes() {
        MessageProperties properties = new MessageProperties(Map.of("message-id", "é"), Map.of("€", "😀"));

        assertThat(properties.sizeWith(0)).isEqualTo(2 + 3 + 4);
    }

    @Test
    void sizeIgnoresNullValuesAndSaturates() {
        Map<String, String> application = new HashMap<>();
        application.put("k", null);

        assertThat(new MessageProperties(Map.of(), application).sizeWith(0)).isEqualTo(1);
        assertThat(new MessageProperties(Map.of("message-id", "x"), Map.of()).sizeWith(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void theSpecLimitCanBeCheckedExactly() {
        MessageProperties properties = PropertyBag.parse("$.mid=1234");
        int limit = 256 * 1024;

        assertThat(properties.sizeWith(limit - 4)).isEqualTo(limit);
        assertThat(properties.sizeWith(limit - 3)).isGreaterThan(limit);
    }
}
