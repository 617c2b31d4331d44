package io.onramp.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import org.junit.jupiter.api.Test;

/** The hint about ports and addresses belongs to bind failures only. */
class ListenExceptionTest {

    @Test
    void aPortInUseSaysSo() {
        ListenException e = new ListenException("HTTPS", "127.0.0.180", 443, "https",
                new IOException("bind(..) failed: Address already in use"));

        assertThat(e.getMessage()).isEqualTo("cannot listen for HTTPS on 127.0.0.180:443 (bind(..) failed: Address already"
                + " in use): another process holds the port; see listen.https and listen.address in the config");
    }

    @Test
    void anAddressNotOfThisMachineOrALowPortSaySo() {
        assertThat(new ListenException("MQTT over TLS", "10.9.9.9", 8883, "mqtts",
                new BindException("Cannot assign requested address")).getMessage())
                .endsWith(": the address is not one of this machine's; see listen.mqtts and listen.address in the config");
        assertThat(new ListenException("HTTPS", "127.0.0.180", 443, "https",
                new IOException("bind(..) failed: Permission denied")).getMessage())
                .contains("ports below 1024 need root or CAP_NET_BIND_SERVICE");
    }

    @Test
    void anotherCauseGetsNoHintAboutThePort() {
        ListenException e = new ListenException("HTTPS", "127.0.0.180", 443, "https",
                new IllegalArgumentException("Unable to read file at path '/tmp/x/nope/server.pem'"));

        assertThat(e.getMessage()).isEqualTo("cannot listen for HTTPS on 127.0.0.180:443 (Unable to read file at path"
                + " '/tmp/x/nope/server.pem')");
    }
}
