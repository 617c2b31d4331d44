package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationPolicyTest {

    @Test
    void factoryReturnsImplementedPolicies() {
        assertThat(AllocationPolicy.of(AllocationPolicyKind.HASHED)).isInstanceOf(HashedAllocation.class);
        assertThat(AllocationPolicy.of(AllocationPolicyKind.STATIC)).isInstanceOf(StaticAllocation.class);
    }

    @Test
    void unimplementedPoliciesFailClosed() {
        AllocationRequest request = new AllocationRequest("dev-1", List.of(Hubs.A), List.of(), Hubs.A.hostName());
        for (AllocationPolicyKind kind : List.of(AllocationPolicyKind.GEO_LATENCY, AllocationPolicyKind.CUSTOM)) {
            AllocationDecision decision = AllocationPolicy.of(kind).allocate(request);
            assertThat(decision).isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                    rejected -> assertThat(rejected.reason()).isEqualTo(PolicyRejection.UNSUPPORTED_POLICY));
        }
    }
}
