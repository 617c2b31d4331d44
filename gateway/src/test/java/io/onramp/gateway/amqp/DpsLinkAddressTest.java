package io.onramp.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The three address styles of dps-device-protocol.md 8.5, and what is not a DPS registration. */
class DpsLinkAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "0ne0000AB12/registrations/node-sym-amqp", // Node
        "/0ne0000AB12/registrations/node-sym-amqp", // Java
        "amqps://dps.example.local/0ne0000AB12/registrations/node-sym-amqp", // C
    })
    void everySdksAddressNamesTheRegistration(String address) {
        assertThat(DpsLinkAddress.parse(address)).contains(new DpsLinkAddress("0ne0000AB12", "node-sym-amqp"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/devices/dev-1/messages/events", "$cbs", "/0ne0000AB12/registrations/", "/0ne0000AB12/registrations",
        "/0ne0000AB12/registrations/dev/extra", "//registrations/dev", "/0ne0000AB12/enrollments/dev",
        "amqps://dps.example.local", ""
    })
    void otherAddressesAreNoRegistration(String address) {
        assertThat(DpsLinkAddress.parse(address)).isEmpty();
    }

    @Test
    void noAddressIsNoRegistration() {
        assertThat(DpsLinkAddress.parse(null)).isEmpty();
    }

    @Test
    void registrationsCompareWithoutCase() {
        DpsLinkAddress sasl = new DpsLinkAddress("0ne0000AB12", "Sensor-1");

        assertThat(sasl.sameRegistration(new DpsLinkAddress("0NE0000ab12", "sensor-1"))).isTrue();
        assertThat(sasl.sameRegistration(new DpsLinkAddress("0ne0000AB12", "sensor-2"))).isFalse();
        assertThat(sasl.sameRegistration(new DpsLinkAddress("0ne0000AB13", "sensor-1"))).isFalse();
    }
}
