package io.onramp.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.policy.allocation.AllocationPolicyKind;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigDiffTest {

    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";
    static GatewayConfig parse(String yaml) {
        return parse(443, yaml);
    }

    static GatewayConfig parse(int httpsPort, String yaml) {
        return new ConfigLoader(Map.of(), Path.of("/tmp")).parse("onramp.yaml", """
            idScope: 0ne00000001
            dataDir: /tmp/onramp-diff
            listen: { address: 127.0.0.1, https: %d, mqtts: 8883, amqps: -1 }
            """.formatted(httpsPort) + yaml);
    }

    static String hubs(int weight) {
        return "hubs: [ { name: line-a, hostName: 127.0.0.2, weight: %d, ownerKey: %s } ]\n".formatted(weight, KEY);
    }

    @Test
    void reloadableSettingsApplyAndAreNamed() {
        ConfigDiff diff = ConfigDiff.of("onramp.yaml", parse(hubs(1)), parse(hubs(3) + "allocation: { policy: static }\n"));

        assertThat(diff.changed()).containsExactly("allocation.policy hashed -> static", "hub line-a: weight 1 -> 3");
        assertThat(diff.needRestart()).isEmpty();
        assertThat(diff.applied().hubs()).map(HubConfig::weight).containsExactly(3);
        assertThat(diff.applied().allocationPolicy()).isEqualTo(AllocationPolicyKind.STATIC);
    }

    @Test
    void whatNeedsARestartIsNamedAndKeptAsItRuns() {
        GatewayConfig running = parse(hubs(1));
        String otherHubs = "hubs: [ { name: line-a, hostName: 127.0.0.2, weight: 5, ownerKey: %s },".formatted(KEY)
                + " { name: line-b, hostName: 127.0.0.3, ownerKey: %s } ]\n".formatted(KEY);

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", running, parse(8443, otherHubs));

        assertThat(diff.needRestart()).containsExactly("listen", "hubs (a hub added, removed, renamed or linked differently)");
        assertThat(diff.applied().listen()).isEqualTo(running.listen());
        assertThat(diff.applied().hubs()).as("a changed set of hubs waits whole, weights included")
                .isEqualTo(running.hubs());
        assertThat(diff.changed()).isEmpty();
    }

    @Test
    void enrollmentsNamingAHubOnlyARestartBringsRefuseTheFile() {
        String next = "hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: %s },".formatted(KEY)
                + " { name: line-b, hostName: 127.0.0.3, ownerKey: %s } ]\n".formatted(KEY) + """
                enrollmentGroups:
                  - { enrollmentGroupId: sensors, iotHubs: [line-b], attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } } }
                """.formatted(KEY);

        assertThatThrownBy(() -> ConfigDiff.of("onramp.yaml", parse(hubs(1)), parse(next)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enrollmentGroups: sensors names hub 127.0.0.3, which this gateway has only after a restart");
    }
}
