package io.onramp.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.policy.allocation.AllocationPolicyKind;
import java.nio.file.Path;
import java.util.List;
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

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", running, parse(8443, hubs(5)));

        assertThat(diff.needRestart()).containsExactly("listen");
        assertThat(diff.applied().listen()).isEqualTo(running.listen());
        assertThat(diff.changed()).containsExactly("hub line-a: weight 1 -> 5");
    }

    @Test
    void locationsOfHubsAndNetworksApplyAtOnce() {
        String located = "hubs: [ { name: line-a, hostName: 127.0.0.2, location: hall-b, ownerKey: %s } ]\n".formatted(KEY);

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", parse(hubs(1)), parse(located
                + "allocation: { policy: geoLatency, locations: { hall-b: [10.2.0.0/16] } }\n"));

        assertThat(diff.changed()).containsExactly("allocation.policy hashed -> geoLatency", "allocation.locations",
                "hub line-a: location null -> hall-b");
        assertThat(diff.needRestart()).isEmpty();
        assertThat(diff.applied().allocationLocations()).isEqualTo(Map.of("hall-b", List.of("10.2.0.0/16")));
        assertThat(diff.applied().hubs()).map(HubConfig::location).containsExactly("hall-b");
    }

    @Test
    void theWebhookClientWaitsForTheNextStart() {
        GatewayConfig running = parse(hubs(1));

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", running,
                parse(hubs(1) + "allocation: { policy: hashed, webhook: { timeoutSeconds: 3 } }\n"));

        assertThat(diff.needRestart()).containsExactly("allocation.webhook");
        assertThat(diff.applied().allocationWebhook()).isEqualTo(running.allocationWebhook());
    }

    @Test
    void theRefusalBudgetWaitsForTheNextStart() {
        GatewayConfig running = parse(hubs(1));

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", running,
                parse(hubs(1) + "refusedAttestations: { burst: 5, perSecond: 1 }\n"));

        assertThat(diff.needRestart()).containsExactly("refusedAttestations");
        assertThat(diff.applied().refusedAttestations()).isEqualTo(running.refusedAttestations());
    }

    @Test
    void aHubAddedJoinsAtOnceBesideTheRunningOnes() {
        String next = "hubs: [ { name: line-a, hostName: 127.0.0.2, weight: 5, ownerKey: %s },".formatted(KEY)
                + " { name: line-b, hostName: 127.0.0.3, ownerKey: %s } ]\n".formatted(KEY) + """
                enrollmentGroups:
                  - { enrollmentGroupId: sensors, iotHubs: [line-b], attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } } }
                """.formatted(KEY);

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", parse(hubs(1)), parse(next));

        assertThat(diff.needRestart()).isEmpty();
        assertThat(diff.addedHubs()).map(HubConfig::name).containsExactly("line-b");
        assertThat(diff.applied().hubs()).map(HubConfig::name).containsExactly("line-a", "line-b");
        assertThat(diff.applied().hubs()).map(HubConfig::weight).containsExactly(5, 1);
        assertThat(diff.changed()).containsExactly("hub line-a: weight 1 -> 5", "hub line-b (127.0.0.3) added");
    }

    @Test
    void upstreamsApplyAtOnceAndAreNamedWithoutTheirPasswords() {
        String upstream = ", upstream: { url: 'mqtt://127.0.0.9', userName: u, password: %s }";
        GatewayConfig running = parse("hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: %s%s },".formatted(KEY,
                upstream.formatted("old-secret")) + " { name: line-c, hostName: 127.0.0.4, ownerKey: %s%s } ]\n".formatted(
                KEY, upstream.formatted("old-secret")));
        GatewayConfig next = parse("hubs: [ { name: line-a, hostName: 127.0.0.2, weight: 2, ownerKey: %s },".formatted(KEY)
                + " { name: line-c, hostName: 127.0.0.4, ownerKey: %s%s },".formatted(KEY, upstream.formatted("new-secret"))
                + " { name: line-b, hostName: 127.0.0.3, ownerKey: %s%s } ]\n".formatted(KEY, upstream.formatted("x")));

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", running, next);

        assertThat(diff.needRestart()).isEmpty();
        assertThat(diff.changed()).containsExactly("hub line-a: weight 1 -> 2, upstream mqtt://127.0.0.9:1883 removed",
                "hub line-c: upstream mqtt://127.0.0.9:1883 (its settings)", "hub line-b (127.0.0.3) added");
        assertThat(diff.applied().hubs()).map(HubConfig::upstream).map(u -> u == null ? null : u.password())
                .containsExactly(null, "new-secret", "x");
    }

    @Test
    void aHubRemovedRenamedOrMovedWaitsForTheNextStartAndRunsAsItWas() {
        GatewayConfig running = parse("hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: %s },".formatted(KEY)
                + " { name: line-b, hostName: 127.0.0.3, ownerKey: %s },".formatted(KEY)
                + " { name: line-c, hostName: 127.0.0.4, ownerKey: %s } ]\n".formatted(KEY));
        GatewayConfig next = parse("hubs: [ { name: line-a, hostName: 127.0.0.5, ownerKey: %s },".formatted(KEY)
                + " { name: line-x, hostName: 127.0.0.3, ownerKey: %s } ]\n".formatted(KEY));

        ConfigDiff diff = ConfigDiff.of("onramp.yaml", running, next);

        assertThat(diff.needRestart()).containsExactly("hubs (hub line-a given another host name or link, hub line-b"
                + " removed, hub line-c removed, hub line-x (127.0.0.3, renamed))");
        assertThat(diff.applied().hubs()).isEqualTo(running.hubs());
        assertThat(diff.addedHubs()).isEmpty();
    }

    @Test
    void enrollmentsNamingAHubOnlyARestartBringsRefuseTheFile() {
        String next = "hubs: [ { name: line-a, hostName: 127.0.0.9, ownerKey: %s } ]\n".formatted(KEY) + """
                enrollmentGroups:
                  - { enrollmentGroupId: sensors, iotHubs: [line-a], attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } } }
                """.formatted(KEY);

        assertThatThrownBy(() -> ConfigDiff.of("onramp.yaml", parse(hubs(1)), parse(next)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enrollmentGroups: sensors names hub 127.0.0.9, which this gateway has only after a restart");
    }
}
