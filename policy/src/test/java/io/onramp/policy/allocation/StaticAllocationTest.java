package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.policy.registry.HubDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class StaticAllocationTest {

    final StaticAllocation policy = new StaticAllocation();
    final HubDescriptor excluded = new HubDescriptor("x", "hub-x.plant1.example", 0, false);
    final List<HubDescriptor> linked = List.of(Hubs.A, Hubs.B, excluded);

    @Test
    void assignsTheNamedHubIgnoringCase() {
        assertThat(policy.allocate(new AllocationRequest("dev-1", linked, List.of(), "HUB-B.Plant1.Example")))
                .isEqualTo(new AllocationDecision.Assigned(Hubs.B));
    }

    @Test
    void ignoresWeightAndApplyAllocationPolicy() {
        assertThat(policy.allocate(new AllocationRequest("dev-1", linked, List.of(), excluded.hostName())))
                .isEqualTo(new AllocationDecision.Assigned(excluded));
    }

    @Test
    void rejectsMissingHub() {
        for (String missing : new String[] {null, "", "  "}) {
            assertThat(policy.allocate(new AllocationRequest("dev-1", linked, List.of(), missing)))
                    .isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                            r -> assertThat(r.reason()).isEqualTo(PolicyRejection.STATIC_HUB_MISSING));
        }
    }

    @Test
    void rejectsHubThatIsNotLinked() {
        assertThat(policy.allocate(new AllocationRequest("dev-1", linked, List.of(), "hub-z.plant1.example")))
                .isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(PolicyRejection.STATIC_HUB_NOT_LINKED));
        assertThat(policy.allocate(new AllocationRequest("dev-1", List.of(), List.of(), "hub-a.plant1.example")))
                .isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(PolicyRejection.STATIC_HUB_NOT_LINKED));
    }

    @Test
    void matchesByHostNameOnly() {
        assertThat(policy.allocate(new AllocationRequest("dev-1", linked, List.of(), "a")))
                .isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(PolicyRejection.STATIC_HUB_NOT_LINKED));
    }
}
