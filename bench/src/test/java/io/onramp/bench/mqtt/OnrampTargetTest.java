package io.onramp.bench.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.LocalPki;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnrampTargetTest {

    @TempDir
    Path dir;

    @Test
    void configIsAcceptedByTheGatewaysLoader() {
        // The loader reads the TLS files and matches key to certificate: made as the bench makes them.
        LocalPki.Files pki = LocalPki.ensure(dir.resolve("tls"), List.of(OnrampTarget.HOST), Clock.systemUTC());
        String yaml = OnrampTarget.config(dir.resolve("data"), 44301, 41883, 48883, 45671, pki,
                "b25yYW1wLWJlbmNoLWdyb3VwLXByaW1hcnkta2V5ISE=", "YmVuY2gtaHViLWEtb3duZXIta2V5LTAwMDAwMDAwMDA=");
        GatewayConfig config = new ConfigLoader(Map.of(), Path.of("")).parse("mqtt-bench", yaml);
        assertThat(config.idScope()).isEqualTo(OnrampTarget.ID_SCOPE);
        assertThat(config.listen().https()).isEqualTo(44301);
        assertThat(config.listen().mqtt()).isEqualTo(41883);
        assertThat(config.listen().mqtts()).isEqualTo(48883);
        assertThat(config.listen().amqps()).isEqualTo(45671);
        assertThat(config.hubs()).hasSize(1);
        assertThat(config.enrollmentGroups()).hasSize(1);
        assertThat(config.hubs().get(0).upstream()).isNull();
    }

    @Test
    void theForwardingHubsConfigNamesItsUpstream() {
        LocalPki.Files pki = LocalPki.ensure(dir.resolve("tls"), List.of(OnrampTarget.HOST), Clock.systemUTC());
        String yaml = OnrampTarget.config(dir.resolve("data"), 44301, 41883, 48883, 45671, pki,
                "b25yYW1wLWJlbmNoLWdyb3VwLXByaW1hcnkta2V5ISE=", "YmVuY2gtaHViLWEtb3duZXIta2V5LTAwMDAwMDAwMDA=",
                "mqtt://127.0.0.61:41000");
        GatewayConfig config = new ConfigLoader(Map.of(), Path.of("")).parse("mqtt-bench", yaml);
        assertThat(config.hubs().get(0).upstream().address()).isEqualTo("mqtt://127.0.0.61:41000");
        assertThat(config.hubs().get(0).upstream().outboxBytes()).isEqualTo(8192L << 20);
    }
}
