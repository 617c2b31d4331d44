package io.onramp.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.amqp.HubLinkAddress.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HubLinkAddressTest {

    @ParameterizedTest
    @CsvSource({
        "/devices/press-7/messages/events, press-7, TELEMETRY",
        "/devices/press-7/messages/devicebound, press-7, CLOUD_TO_DEVICE",
        "/devices/press-7/messages/deviceBound, press-7, CLOUD_TO_DEVICE",
        "/devices/press-7/twin, press-7, TWIN",
        "/devices/press-7/methods/devicebound, press-7, METHODS",
        "devices/press-7/twin, press-7, TWIN",
        "amqps://hub.example/devices/press-7/twin, press-7, TWIN",
        "/devices/a%2Fb%23c/messages/events, a/b#c, TELEMETRY",
        "/DEVICES/Press-7/MESSAGES/EVENTS, Press-7, TELEMETRY",
    })
    void readsTheDeviceAndTheKind(String address, String deviceId, Kind kind) {
        HubLinkAddress parsed = HubLinkAddress.parse(address).orElseThrow();
        assertThat(parsed.deviceId()).as("IDs keep their case").isEqualTo(deviceId);
        assertThat(parsed.moduleId()).isNull();
        assertThat(parsed.kind()).isEqualTo(kind);
    }

    @Test
    void readsAModule() {
        HubLinkAddress parsed = HubLinkAddress.parse("/devices/d1/modules/m1/messages/events").orElseThrow();
        assertThat(parsed.deviceId()).isEqualTo("d1");
        assertThat(parsed.moduleId()).isEqualTo("m1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "$cbs", "/devices", "/devices/", "/devices//twin", "/devices/d1/messages",
        "/devices/d1/messages/events/extra", "/devices/d1/modules//twin", "/devices/d1/outbox",
        "0ne00000001/registrations/d1", "/devices/%zz/twin"})
    void refusesWhatIsNoDeviceLink(String address) {
        assertThat(HubLinkAddress.parse(address)).isEmpty();
    }

    @Test
    void tellsHubAddressesFromOthers() {
        assertThat(HubLinkAddress.looksLikeHub("$cbs")).isTrue();
        assertThat(HubLinkAddress.looksLikeHub("/devices/d1/anything")).isTrue();
        assertThat(HubLinkAddress.looksLikeHub("amqps://hub/devices/d1/twin")).isTrue();
        assertThat(HubLinkAddress.looksLikeHub("/queues/orders")).isFalse();
        assertThat(HubLinkAddress.looksLikeHub(null)).isFalse();
    }
}
