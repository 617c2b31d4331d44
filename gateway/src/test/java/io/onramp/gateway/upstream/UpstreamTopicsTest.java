package io.onramp.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The topic an IoT hub upstream gets a device's message on, sent by the gateway as one of its devices. */
class UpstreamTopicsTest {

    @Test
    void theGatewaySendsAsItselfWithTheDevicesPropertiesAndWhoSentIt() {
        String consumerTopic = "devices/press-7/messages/events/%24.ct=application%2Fjson&seq=4&iothub-connection-device-id=press-7"
                + "&iothub-connection-auth-method=%7B%7D&iothub-connection-auth-generation-id=1"
                + "&iothub-enqueuedtime=2026-11-30T05%3A39%3A05.917Z";
        assertThat(UpstreamTopics.asDevice("plant-gw", "line a", consumerTopic)).isEqualTo(
                "devices/plant-gw/messages/events/%24.ct=application%2Fjson&seq=4&onramp-device-id=press-7"
                        + "&onramp-hub=line%20a&onramp-enqueued-time=2026-11-30T05%3A39%3A05.917Z");
    }

    @Test
    void theSizeAnIotHubCountsIsTheBodyAndThePropertiesDecoded() {
        // body 10 + "application/json" (a system value: 16) + "seq" "4" (4) + "onramp-device-id" "d" (17)
        assertThat(UpstreamTopics.iotHubSize("devices/gw/messages/events/%24.ct=application%2Fjson&seq=4&onramp-device-id=d", 10))
                .isEqualTo(10 + 16 + 4 + 17);
        assertThat(UpstreamTopics.deviceOf("devices/d%2B1/messages/events/a=1")).isEqualTo("d+1");
    }

    @Test
    void aMessageWithoutPropertiesOrWithATrailingSlash() {
        assertThat(UpstreamTopics.asDevice("gw", "h", "devices/d%2B1/messages/events/"))
                .isEqualTo("devices/gw/messages/events/onramp-device-id=d%2B1&onramp-hub=h");
        assertThat(UpstreamTopics.asDevice("gw", "h", "devices/d/messages/events/a=1/"))
                .isEqualTo("devices/gw/messages/events/a=1&onramp-device-id=d&onramp-hub=h");
        assertThatThrownBy(() -> UpstreamTopics.asDevice("gw", "h", "devices/d/twin")).isInstanceOf(IllegalArgumentException.class);
    }
}
