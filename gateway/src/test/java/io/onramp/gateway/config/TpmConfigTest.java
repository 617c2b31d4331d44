package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code tpm} section: the pending TPM challenges' timeout and bound. */
class TpmConfigTest {

    final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of(""));

    @Test
    void leftOutItIsTenMinutesAndAHundredThousand() {
        GatewayConfig.TpmConfig tpm = loader.parse("t", "idScope: 0ne1\n").tpm();

        assertThat(tpm.challengeTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(tpm.maxPendingChallenges()).isEqualTo(100_000);
    }

    @Test
    void bothMayBeSet() {
        GatewayConfig.TpmConfig tpm = loader.parse("t", """
            idScope: 0ne1
            tpm: { challengeTimeoutSeconds: 90, maxPendingChallenges: 500 }
            """).tpm();

        assertThat(tpm.challengeTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(tpm.maxPendingChallenges()).isEqualTo(500);
    }

    @Test
    void nonsenseIsRefusedNamingTheField() {
        assertThatThrownBy(() -> loader.parse("t", """
            idScope: 0ne1
            tpm: { challengeTimeoutSeconds: 0, maxPendingChallenges: many, challengeTtl: 5 }
            """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .anySatisfy(p -> assertThat(p).startsWith("tpm.challengeTimeoutSeconds:"))
                .anySatisfy(p -> assertThat(p).startsWith("tpm.maxPendingChallenges:"))
                .anySatisfy(p -> assertThat(p).isEqualTo("tpm.challengeTtl: unknown field (allowed: challengeTimeoutSeconds, maxPendingChallenges)")));
        assertThatThrownBy(() -> loader.parse("t", "idScope: 0ne1\ntpm: 5\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("tpm: must be an object")));
    }
}
