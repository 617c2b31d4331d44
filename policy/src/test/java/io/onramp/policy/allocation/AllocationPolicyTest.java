package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationPolicyTest {

    @Test
    void factoryReturnsImplementedPolicies() {
        assertThat(AllocationPolicy.of(AllocationPolicyKind.HASHED)).isInstanceOf(HashedAllocation.class);
        assertThat(AllocationPolicy.of(AllocationPolicyKind.STATIC)).isInstanceOf(StaticAllocation.class);
        assertThat(AllocationPolicy.of(AllocationPolicyKind.GEO_LATENCY)).isInstanceOf(GeoLatencyAllocation.class);
    }

    @Test
    void customAllocationIsAWebhooksChoiceNotAPolicysAndFailsClosedAsOne() {
        AllocationRequest request = new AllocationRequest("dev-1", List.of(Hubs.A), List.of(), Hubs.A.hostName());
        AllocationDecision decision = AllocationPolicy.of(AllocationPolicyKind.CUSTOM).allocate(request);
        assertThat(decision).isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                rejected -> assertThat(rejected.reason()).isEqualTo(PolicyRejection.UNSUPPORTED_POLICY));
    }
}
