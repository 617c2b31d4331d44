package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.GatewayConfig.RefusalsConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code refusedAttestations} section: how many refusals one client address may run up, and earn back. */
class RefusalsConfigTest {

    final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of(""));

    @Test
    void leftOutIsAHundredThenTwentyASecond() {
        assertThat(loader.parse("t", "idScope: 0ne1\n").refusedAttestations()).isEqualTo(new RefusalsConfig(100, 20));
    }

    @Test
    void bothMayBeSetAndABurstOfZeroTurnsItOff() {
        assertThat(loader.parse("t", """
            idScope: 0ne1
            refusedAttestations: { burst: 0, perSecond: 5 }
            """).refusedAttestations()).isEqualTo(new RefusalsConfig(0, 5));
    }

    @Test
    void nonsenseIsRefusedNamingTheField() {
        assertThatThrownBy(() -> loader.parse("t", """
            idScope: 0ne1
            refusedAttestations: { burst: -1, perSecond: 0, perMinute: 5 }
            """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("refusedAttestations.burst:"))
                .anySatisfy(p -> assertThat(p).startsWith("refusedAttestations.perSecond:"))
                .anySatisfy(p -> assertThat(p).isEqualTo(
                        "refusedAttestations.perMinute: unknown field (allowed: burst, perSecond)")));
    }
}
