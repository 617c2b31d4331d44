package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.GatewayConfig.HubConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A hub hosted elsewhere is given by connection string instead of ownerKey. */
class RemoteHubConfigTest {

    static final String KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";

    static GatewayConfig parse(String hubs) {
        return new ConfigLoader(Map.of("HUB_CS", "HostName=hub9.example.net;SharedAccessKeyName=iothubowner;SharedAccessKey=" + KEY),
                Path.of("/etc/onramp")).parse("t", "idScope: 0ne1\nhubs:\n" + hubs);
    }

    @Test
    void aConnectionStringMakesARemoteHubNamedByItsHostName() {
        HubConfig hub = parse("""
                  - connectionString: "HostName=hub2.azure-devices.net;SharedAccessKeyName=registryReadWrite;SharedAccessKey=%s"
                    caCertificate: certs/hub2-ca.pem
                  - { name: near, hostName: 127.0.0.2, ownerKey: %s }
                """.formatted(KEY, KEY)).hubs().get(0);

        assertThat(hub.hosted()).isFalse();
        assertThat(hub.hostName()).isEqualTo("hub2.azure-devices.net");
        assertThat(hub.name()).isEqualTo("hub2.azure-devices.net");
        assertThat(hub.ownerKey()).isNull();
        assertThat(hub.remote().keyName()).isEqualTo("registryReadWrite");
        assertThat(hub.remote().key()).isEqualTo(KEY);
        assertThat(hub.remote().caCertificate()).isEqualTo(Path.of("/etc/onramp/certs/hub2-ca.pem"));
    }

    @Test
    void theConnectionStringMayComeFromTheEnvironment() {
        HubConfig hub = parse("  - { name: far, connectionString: { env: HUB_CS } }\n").hubs().get(0);

        assertThat(hub.remote().hostName()).isEqualTo("hub9.example.net");
        assertThat(hub.remote().caCertificate()).isNull();
    }

    @Test
    void aHostNameMayCarryThePortOfALinkedOnrampNotOn443() {
        HubConfig hub = parse("""
                  - { name: plant-2, hostName: 127.0.0.2,
                      connectionString: "HostName=127.0.0.2:8443;SharedAccessKeyName=iothubowner;SharedAccessKey=%s" }
                  - { name: plant-3, connectionString: "HostName=hub3.example.net;SharedAccessKeyName=iothubowner;SharedAccessKey=%s" }
                """.formatted(KEY, KEY)).hubs().get(0);

        assertThat(hub.hostName()).as("the hub's name in tokens and registrations has no port").isEqualTo("127.0.0.2");
        assertThat(hub.remote().hostName()).isEqualTo("127.0.0.2");
        assertThat(hub.remote().port()).isEqualTo(8443);
        assertThat(hub.remote().address()).isEqualTo("127.0.0.2:8443");
        assertThat(parse("  - { name: far, connectionString: { env: HUB_CS } }\n").hubs().get(0).remote().port())
                .isEqualTo(443);
        assertThatThrownBy(() -> parse("""
                  - { connectionString: "HostName=a.example:https;SharedAccessKeyName=x;SharedAccessKey=%s" }
                  - { connectionString: "HostName=b.example:0;SharedAccessKeyName=x;SharedAccessKey=%s" }
                """.formatted(KEY, KEY)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "hubs[0].connectionString: the port after HostName's ':' must be a number from 1 to 65535, not 'https'",
                        "hubs[1].connectionString: the port after HostName's ':' must be a number from 1 to 65535, not '0'"));
    }

    @Test
    void badRemoteHubsAreRefusedWithTheFieldNamed() {
        assertThatThrownBy(() -> parse("""
                  - { hostName: a.example, ownerKey: %s, connectionString: "HostName=a.example;SharedAccessKeyName=x;SharedAccessKey=%s" }
                  - { connectionString: "HostName=b.example;SharedAccessKey=%s" }
                  - { connectionString: "HostName=c.example;SharedAccessKeyName=x;SharedAccessKey=not-base64!" }
                  - { hostName: d.example, connectionString: "HostName=other.example;SharedAccessKeyName=x;SharedAccessKey=%s" }
                  - { hostName: 127.0.0.5, ownerKey: %s, caCertificate: ca.pem }
                """.formatted(KEY, KEY, KEY, KEY, KEY)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "hubs[0].ownerKey: give ownerKey (a hub hosted here) or connectionString (a hub elsewhere), not both",
                        "hubs[1].connectionString: give HostName=…;SharedAccessKeyName=…;SharedAccessKey=…",
                        "hubs[2].connectionString: symmetric key is not valid base64",
                        "hubs[3].hostName: differs from the HostName of the connection string (other.example)",
                        "hubs[4].caCertificate: applies to a hub given by connectionString only"));
    }
}
