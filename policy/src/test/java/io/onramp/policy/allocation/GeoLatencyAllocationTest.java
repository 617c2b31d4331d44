package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.policy.registry.HubDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeoLatencyAllocationTest {

    final GeoLatencyAllocation policy = new GeoLatencyAllocation();
    final HubDescriptor a1 = new HubDescriptor("a1", "hub-a1.plant1.example", 1, true, "hall-a");
    final HubDescriptor a2 = new HubDescriptor("a2", "hub-a2.plant1.example", 1, true, "hall-a");
    final HubDescriptor b1 = new HubDescriptor("b1", "hub-b1.plant1.example", 1, true, "Hall-B");
    final HubDescriptor bOff = new HubDescriptor("b0", "hub-b0.plant1.example", 1, false, "hall-b");
    final List<HubDescriptor> linked = List.of(a1, a2, b1, bOff);

    @Test
    void aDeviceGoesToAHubOfItsLocationSpreadAmongThemByWeight() {
        Map<String, Integer> perHub = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            perHub.merge(hostOf(policy.allocate(request(Hubs.deviceId(i), List.of(), "hall-a"))), 1, Integer::sum);
        }
        assertThat(perHub.keySet()).containsExactlyInAnyOrder(a1.hostName(), a2.hostName());
        assertThat(perHub.get(a1.hostName())).isBetween(150, 250);
    }

    @Test
    void locationsCompareIgnoringCaseAndHubsOutOfAllocationStayOut() {
        for (int i = 0; i < 50; i++) {
            assertThat(policy.allocate(request(Hubs.deviceId(i), List.of(), "HALL-b")))
                    .isEqualTo(new AllocationDecision.Assigned(b1));
        }
    }

    @Test
    void withoutANearHubOrAKnownLocationItIsTheHashedPolicyOverAllCandidates() {
        HashedAllocation hashed = new HashedAllocation();
        for (int i = 0; i < 50; i++) {
            String id = Hubs.deviceId(i);
            AllocationDecision expected = hashed.allocate(request(id, List.of(), null));
            assertThat(policy.allocate(request(id, List.of(), null))).isEqualTo(expected);
            assertThat(policy.allocate(request(id, List.of(), "hall-z"))).isEqualTo(expected);
        }
    }

    @Test
    void theEnrollmentsHubsStillRestrictTheChoice() {
        // The device is in hall-a, but its enrollment allows only b1: no hub of hall-a is a candidate.
        assertThat(policy.allocate(request("dev-1", List.of("b1"), "hall-a"))).isEqualTo(new AllocationDecision.Assigned(b1));
        assertThat(policy.allocate(request("dev-1", List.of("a2", "b1"), "hall-a")))
                .isEqualTo(new AllocationDecision.Assigned(a2));
    }

    private AllocationRequest request(String id, List<String> enrollmentHubs, String location) {
        return new AllocationRequest(id, linked, enrollmentHubs, null, location);
    }

    private static String hostOf(AllocationDecision decision) {
        return ((AllocationDecision.Assigned) decision).hub().hostName();
    }
}
