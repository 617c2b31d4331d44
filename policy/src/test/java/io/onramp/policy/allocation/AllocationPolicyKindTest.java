package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AllocationPolicyKindTest {

    @Test
    void wireNamesMatchTheServiceApi() {
        assertThat(AllocationPolicyKind.HASHED.wireName()).isEqualTo("hashed");
        assertThat(AllocationPolicyKind.GEO_LATENCY.wireName()).isEqualTo("geoLatency");
        assertThat(AllocationPolicyKind.STATIC.wireName()).isEqualTo("static");
        assertThat(AllocationPolicyKind.CUSTOM.wireName()).isEqualTo("custom");
    }

    @Test
    void parsesIgnoringCase() {
        assertThat(AllocationPolicyKind.fromWire("geolatency")).isEqualTo(AllocationPolicyKind.GEO_LATENCY);
        assertThat(AllocationPolicyKind.fromWire("HASHED")).isEqualTo(AllocationPolicyKind.HASHED);
        assertThat(AllocationPolicyKind.fromWire("Static")).isEqualTo(AllocationPolicyKind.STATIC);
    }

    @Test
    void unknownValueListsAllowedValues() {
        assertThatThrownBy(() -> AllocationPolicyKind.fromWire("roundRobin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("roundRobin")
                .hasMessageContaining("hashed, geoLatency, static, custom");
        assertThatThrownBy(() -> AllocationPolicyKind.fromWire(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
