package io.onramp.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConsumerFiltersTest {

    @Nested
    class TelemetryFilters {

        @ParameterizedTest
        @ValueSource(strings = {
            "devices/+/messages/events/#",
            "devices/pump-07/messages/events/#",
            "devices/+/modules/+/messages/events/#",
            "devices/pump-07/modules/+/messages/events/#",
            "devices/pump-07/modules/filter/messages/events/#",
            "#",
            "devices/#",
            "devices/+/#",
            "devices/pump-07/#",
            "devices/+/messages/#",
            "devices/+/modules/#",
            "+/+/+/+/#",
            "devices/+/messages/events",
            "devices/+/messages/events/+",
            "devices/+/messages/events/+/",
            "devices/+/messages/events/+/+",
            "devices/+/messages/events/+/#",
            "devices/+/messages/events/%24.ct=application%2Fjson&test-seq=0",
        })
        void acceptsFiltersThatCanMatchTelemetry(String filter) {
            assertThat(ConsumerFilters.isTelemetryFilter(filter)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "devices/+/messages/devicebound/#",
            "devices/+/messages/events/+/x",
            "devices/+/messages/events/+/+/+",
            "devices/+/messages/events/a/b/c/#",
            "devices//messages/events/#",
            "devices/+/modules//messages/events/#",
            "devices/+",
            "devices/+/messages",
            "devices",
            "$iothub/twin/res/#",
            "$iothub/#",
            "Devices/#",
            "+/+/+",
            "a/#",
        })
        void refusesFiltersThatCannotMatchTelemetry(String filter) {
            assertThat(ConsumerFilters.isTelemetryFilter(filter)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "",
            "devices/#/messages/events",
            "devices/+x/messages/events/#",
            "devices/x+/messages/events/#",
            "devices/+/messages/events/#x",
            "devices/+/messages/events/x#",
            "devices/+/messages/events/##",
            "##",
            "#/",
            "devices/+/messages/events/#/",
            "devices/+/messages/events/\u0000",
        })
        void refusesWildcardsInWrongPlaces(String filter) {
            assertThat(ConsumerFilters.isTelemetryFilter(filter)).isFalse();
        }

        @Test
        void refusesNullAndAbsurdFilters() {
            assertThat(ConsumerFilters.isTelemetryFilter(null)).isFalse();
            assertThat(ConsumerFilters.isTelemetryFilter("/".repeat(70_000))).isFalse();
            assertThat(ConsumerFilters.isTelemetryFilter("devices/" + "+/".repeat(10_000) + "#")).isFalse();
        }
    }

    @Nested
    class Matching {

        @ParameterizedTest(name = "{0} matches {1}")
        @CsvSource(delimiter = '|', value = {
            // MQTT 3.1.1 §4.7.1 examples
            "sport/tennis/player1/# | sport/tennis/player1",
            "sport/tennis/player1/# | sport/tennis/player1/ranking",
            "sport/tennis/player1/# | sport/tennis/player1/score/wimbledon",
            "sport/# | sport",
            "# | sport/tennis",
            "sport/tennis/+ | sport/tennis/player1",
            "sport/+ | sport/",
            "+/+ | /finance",
            "/+ | /finance",
            "+ | finance",
            "$SYS/# | $SYS/broker",
            "$SYS/+ | $SYS/broker",
            // telemetry as devices send it
            "devices/+/messages/events/# | devices/node-sym-mqtt/messages/events/%24.ct=application%2Fjson&%24.ce=utf-8&test-seq=0",
            "devices/java-sym-mqtt/messages/events/# | devices/java-sym-mqtt/messages/events/$.mid=66156e8f&$.ce=utf-8",
            "devices/+/messages/events/# | devices/pump-07/messages/events",
            "devices/+/messages/events/# | devices/pump-07/messages/events/",
            "devices/+/messages/events/# | devices/pump-07/messages/events/a=1/",
            "devices/+/modules/+/messages/events/# | devices/pump-07/modules/filter/messages/events/%24.on=out/",
            "devices/+/messages/events/+/ | devices/pump-07/messages/events/a=1/",
            "devices/pump-07/messages/events/a=1 | devices/pump-07/messages/events/a=1",
        })
        void matches(String filter, String topic) {
            assertThat(ConsumerFilters.matches(filter, topic)).isTrue();
        }

        @ParameterizedTest(name = "{0} does not match {1}")
        @CsvSource(delimiter = '|', value = {
            "sport/tennis/+ | sport/tennis/player1/ranking",
            "sport/+ | sport",
            "+ | /finance",
            "sport/tennis/player1/# | sport/tennis",
            "sport/tennis/# | sport/tennis2/x",
            "sport | Sport",
            "sport | sport/",
            "sport/ | sport",
            "# | $SYS/broker",
            "+/broker | $SYS/broker",
            "+/# | $iothub/twin/res/200/?$rid=1",
            "devices/+/messages/events/# | devices/pump-07/messages/devicebound/a=1",
            "devices/+/messages/events/# | devices/pump-07/modules/filter/messages/events/",
            "devices/pump-07/messages/events/# | devices/pump-08/messages/events/",
            "devices/pump-07/messages/events/# | devices/pump-070/messages/events/",
            "devices/+/messages/events/+ | devices/pump-07/messages/events/a=1/",
        })
        void doesNotMatch(String filter, String topic) {
            assertThat(ConsumerFilters.matches(filter, topic)).isFalse();
        }

        @Test
        void malformedFiltersAndTopicNamesNeverMatch() {
            assertThat(ConsumerFilters.matches("sport/#/x", "sport/a/x")).isFalse();
            assertThat(ConsumerFilters.matches("sport+", "sport+")).isFalse();
            assertThat(ConsumerFilters.matches("", "")).isFalse();
            assertThat(ConsumerFilters.matches(null, "a")).isFalse();
            assertThat(ConsumerFilters.matches("#", null)).isFalse();
            assertThat(ConsumerFilters.matches("#", "")).isFalse();
            assertThat(ConsumerFilters.matches("#", "a/+")).isFalse();
            assertThat(ConsumerFilters.matches("a/+", "a/#")).isFalse();
            assertThat(ConsumerFilters.matches("#", "a\u0000")).isFalse();
        }

        @Test
        void everyAcceptedTelemetryFilterMatchesTheCapturedTopicsItNames() {
            String topic = "devices/java-sym-http/messages/events/$.mid=380dbc6f&$.cdid=java-sym-http&$.ct=application%2Fjson&test-seq=0";

            for (String filter : new String[] {"#", "devices/#", "devices/+/#", "devices/java-sym-http/#",
                "devices/+/messages/#", "devices/+/messages/events/#", "devices/java-sym-http/messages/events/#",
                "+/+/+/+/#", "devices/+/messages/events/+"}) {
                assertThat(ConsumerFilters.isTelemetryFilter(filter)).as(filter).isTrue();
                assertThat(ConsumerFilters.matches(filter, topic)).as(filter).isTrue();
            }
        }
    }
}
