package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code onramp start} prints and warns of once it runs. */
class StartBannerTest {

    static final String KEY = "U3RhcnRCYW5uZXJIdWJLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String ENV_KEY = "U3RhcnRCYW5uZXJFbnZLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String OTHER_KEY = "U3RhcnRCYW5uZXJGaWxlS2V5Rm9yVGVzdHNPbmx5MDA=";

    static GatewayConfig config(String yaml) {
        return new ConfigLoader(Map.of(), Path.of("/etc/onramp")).parse("t", "idScope: 0ne1\n" + yaml);
    }

    @Test
    void aLinkedHubIsShownByItsAddressNotWithAKeyOfNull() {
        GatewayConfig config = config("""
                hubs:
                  - { name: line-a, hostName: 127.0.0.231, ownerKey: %s }
                  - { name: plant-2, connectionString: "HostName=127.0.0.232;SharedAccessKeyName=iothubowner;SharedAccessKey=%s" }
                  - { name: plant-3, connectionString: "HostName=127.0.0.233:8443;SharedAccessKeyName=iothubowner;SharedAccessKey=%s" }
                  - { name: line-u, hostName: 127.0.0.234, ownerKey: %s, upstream: { url: 'mqtts://broker', topicPrefix: p1/ } }
                """.formatted(KEY, KEY, KEY, KEY));

        assertThat(StartCommand.hubLine(config, config.hubs().get(0)))
                .isEqualTo("  Hub line-a  HostName=127.0.0.231;SharedAccessKeyName=iothubowner;SharedAccessKey=" + KEY);
        assertThat(StartCommand.hubLine(config, config.hubs().get(1)))
                .isEqualTo("  Hub plant-2  linked: HostName=127.0.0.232 (key in the config's connectionString)");
        assertThat(StartCommand.hubLine(config, config.hubs().get(2)))
                .isEqualTo("  Hub plant-3  linked: HostName=127.0.0.233:8443 (key in the config's connectionString)");
        assertThat(StartCommand.hubLine(config, config.hubs().get(3))).isEqualTo("  Hub line-u  HostName=127.0.0.234;"
                + "SharedAccessKeyName=iothubowner;SharedAccessKey=" + KEY + "\n      telemetry forwarded to mqtts://broker:8883"
                + " under p1/");
    }

    @Test
    void aKeyFromTheEnvironmentOrAFileIsShownByItsOriginOnlyAnInlineOneInFull(@TempDir Path dir) throws Exception {
        Path keyFile = Files.writeString(dir.resolve("line-b.key"), OTHER_KEY + "\n");
        GatewayConfig config = new ConfigLoader(Map.of("ONRAMP_LINE_A_KEY", ENV_KEY), dir).parse("t", """
                idScope: 0ne1
                accessPolicies:
                  - { name: provisioningserviceowner, primaryKey: { env: ONRAMP_LINE_A_KEY }, rights: [EnrollmentRead] }
                hubs:
                  - { name: line-a, hostName: 127.0.0.231, ownerKey: { env: ONRAMP_LINE_A_KEY } }
                  - { name: line-b, hostName: 127.0.0.230, ownerKey: { file: line-b.key } }
                  - { name: line-c, hostName: 127.0.0.229, ownerKey: %s }
                """.formatted(KEY));

        assertThat(config.shownKey(config.accessPolicies().get(0).primaryKey())).isEqualTo("<from env ONRAMP_LINE_A_KEY>");
        assertThat(StartCommand.hubLine(config, config.hubs().get(0))).isEqualTo(
                "  Hub line-a  HostName=127.0.0.231;SharedAccessKeyName=iothubowner;SharedAccessKey=<from env ONRAMP_LINE_A_KEY>");
        assertThat(StartCommand.hubLine(config, config.hubs().get(1))).isEqualTo(
                "  Hub line-b  HostName=127.0.0.230;SharedAccessKeyName=iothubowner;SharedAccessKey=<from file "
                        + keyFile.toAbsolutePath().normalize() + ">");
        assertThat(StartCommand.hubLine(config, config.hubs().get(2))).isEqualTo(
                "  Hub line-c  HostName=127.0.0.229;SharedAccessKeyName=iothubowner;SharedAccessKey=" + KEY);
    }

    @Test
    void aDpsHostNameThatDoesNotLeadToAListenAddressIsWarnedOf() {
        GatewayConfig localhost = config("listen: { address: 127.0.0.236 }\n");

        assertThat(DpsHostCheck.warning(localhost, "https://localhost:18443")).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the DPS endpoint https://localhost:18443 does not lead here: localhost is ")
                .contains("127.0.0.1")
                .contains("where this gateway does not listen (listen.address: 127.0.0.236)")
                .endsWith("e.g. tls.hostNames: [127.0.0.236]"));
    }

    @Test
    void aDpsHostNameOfAListenAddressOrAGatewayOnEveryAddressIsFine() {
        assertThat(DpsHostCheck.warning(config("listen: { address: 127.0.0.236 }\ntls: { hostNames: [127.0.0.236] }\n"),
                "https://127.0.0.236")).isEmpty();
        assertThat(DpsHostCheck.warning(config("listen: { address: [127.0.0.1, 127.0.0.236] }\n"), "https://localhost"))
                .isEmpty();
        assertThat(DpsHostCheck.warning(config("listen: { address: 0.0.0.0 }\n"), "https://localhost")).isEmpty();
    }
}
