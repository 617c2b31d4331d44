package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TopicFilterTest {

    @Test
    void aCompiledFilterMatchesAsConsumerFiltersDoes() {
        TopicFilter all = TopicFilter.compile("devices/+/messages/events/#");

        assertThat(all.matches("devices/pump-07/messages/events/")).isTrue();
        assertThat(all.matches("devices/pump-07/messages/events/%24.mid=1&a=b")).isTrue();
        assertThat(all.matches("devices/pump-07/messages/devicebound/x")).isFalse();
        assertThat(all.matches("$iothub/twin/res/200/?$rid=1")).isFalse();
        assertThat(TopicFilter.compile("#").matches("$iothub/twin/res/200/?$rid=1")).as("$ topics need an explicit level").isFalse();
        assertThat(TopicFilter.compile("devices/pump-07/messages/events/#").matches("devices/pump-08/messages/events/")).isFalse();
    }

    @Test
    void invalidFiltersAreRefusedWhenCompiled() {
        assertThatThrownBy(() -> TopicFilter.compile("devices/#/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicFilter.compile("devices/a+/x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicFilter.compile("")).isInstanceOf(IllegalArgumentException.class);
    }
}
