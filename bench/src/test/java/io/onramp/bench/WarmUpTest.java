package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WarmUpTest {

    @Test
    void aBatchWithTheJitBusyIsNeverTheSteadyState() {
        assertThat(ProvisioningBench.settled(false, 5_000, 6_000, 0.20)).isFalse();
        assertThat(ProvisioningBench.settled(true, 3_000, 3_000, 0.06)).isFalse();
    }

    @Test
    void atFullSpeedABatchMustAlsoBeNoFasterThanTheBestBeforeIt() {
        assertThat(ProvisioningBench.settled(false, 7_000, 6_000, 0.01)).isFalse();
        assertThat(ProvisioningBench.settled(false, 6_100, 6_000, 0.01)).isTrue();
    }

    @Test
    void atAFixedRateAQuietJitIsEnough() {
        assertThat(ProvisioningBench.settled(true, 3_000, 2_000, 0.04)).isTrue();
    }
}
