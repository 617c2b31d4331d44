package io.onramp.policy.enrollment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProvisioningStatusTest {

    @Test
    void wireNamesMatchTheServiceApi() {
        assertThat(ProvisioningStatus.ENABLED.wireName()).isEqualTo("enabled");
        assertThat(ProvisioningStatus.DISABLED.wireName()).isEqualTo("disabled");
    }

    @Test
    void parsesIgnoringCase() {
        assertThat(ProvisioningStatus.fromWire("enabled")).isEqualTo(ProvisioningStatus.ENABLED);
        assertThat(ProvisioningStatus.fromWire("Disabled")).isEqualTo(ProvisioningStatus.DISABLED);
        assertThat(ProvisioningStatus.fromWire("ENABLED")).isEqualTo(ProvisioningStatus.ENABLED);
    }

    @Test
    void unknownValueListsAllowedValues() {
        assertThatThrownBy(() -> ProvisioningStatus.fromWire("paused"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("paused")
                .hasMessageContaining("enabled, disabled");
        assertThatThrownBy(() -> ProvisioningStatus.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
