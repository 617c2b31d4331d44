package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.policy.registry.HubDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateHubsTest {

    static final HubDescriptor DRAINED = Hubs.hub("drained", 0);
    static final HubDescriptor EXCLUDED = new HubDescriptor("excluded", "hub-excluded.plant1.example", 5, false);

    @Test
    void dropsZeroWeightAndExcludedHubs() {
        AllocationRequest request = Hubs.request("dev-1", List.of(Hubs.A, DRAINED, EXCLUDED, Hubs.B));
        assertThat(CandidateHubs.select(request)).containsExactly(Hubs.A, Hubs.B);
    }

    @Test
    void restrictsToEnrollmentHubsByHostNameOrNameIgnoringCase() {
        List<HubDescriptor> linked = List.of(Hubs.A, Hubs.B, Hubs.C);
        assertThat(CandidateHubs.select(new AllocationRequest("dev-1", linked, List.of("HUB-B.plant1.example"), null)))
                .containsExactly(Hubs.B);
        assertThat(CandidateHubs.select(new AllocationRequest("dev-1", linked, List.of("C", "a"), null)))
                .containsExactly(Hubs.A, Hubs.C);
        assertThat(CandidateHubs.select(new AllocationRequest("dev-1", linked, List.of("hub-z.plant1.example"), null)))
                .isEmpty();
    }

    @Test
    void enrollmentListDoesNotOverrideExclusion() {
        AllocationRequest request = new AllocationRequest("dev-1", List.of(Hubs.A, EXCLUDED, DRAINED),
                List.of(EXCLUDED.hostName(), DRAINED.hostName()), null);
        assertThat(CandidateHubs.select(request)).isEmpty();
    }
}
