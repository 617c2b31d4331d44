package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.policy.registry.HubDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class CustomAllocationTest {

    final HubDescriptor excluded = new HubDescriptor("x", "hub-x.plant1.example", 1, false);
    final HubDescriptor weightless = Hubs.hub("w", 0);
    final List<HubDescriptor> linked = List.of(Hubs.A, excluded, Hubs.B, weightless);

    @Test
    void offersEveryHubTakingPartInAllocationWhenTheEnrollmentNamesNone() {
        assertThat(CustomAllocation.offered(new AllocationRequest("dev-1", linked, List.of(), null)))
                .containsExactly(Hubs.A, Hubs.B, weightless);
    }

    @Test
    void offersOnlyTheEnrollmentsHubsByHostNameOrNameEvenWhenExcludedFromWeighing() {
        AllocationRequest request = new AllocationRequest("dev-1", linked,
                List.of("HUB-B.plant1.example", "x", "hub-z.plant1.example"), null);

        assertThat(CustomAllocation.offered(request)).containsExactly(excluded, Hubs.B);
    }

    @Test
    void acceptsAnOfferedHubIgnoringCase() {
        assertThat(CustomAllocation.accept(List.of(Hubs.A, Hubs.B), "Hub-B.Plant1.Example"))
                .isEqualTo(new AllocationDecision.Assigned(Hubs.B));
    }

    @Test
    void rejectsAHubNotOfferedEvenWhenLinked() {
        assertThat(CustomAllocation.accept(List.of(Hubs.A), Hubs.B.hostName()))
                .isInstanceOfSatisfying(AllocationDecision.Rejected.class, r -> {
                    assertThat(r.reason()).isEqualTo(PolicyRejection.CUSTOM_HUB_NOT_OFFERED);
                    assertThat(r.detail()).contains(Hubs.B.hostName()).contains("not one of the hubs offered");
                });
    }

    @Test
    void rejectsAnAnswerNamingNoHub() {
        for (String missing : new String[] {null, "", " "}) {
            assertThat(CustomAllocation.accept(List.of(Hubs.A), missing))
                    .isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                            r -> assertThat(r.reason()).isEqualTo(PolicyRejection.CUSTOM_HUB_NOT_OFFERED));
        }
    }
}
