package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.onramp.policy.registry.HubDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashedAllocationTest {

    static final int DEVICES = 100_000;

    final HashedAllocation policy = new HashedAllocation();

    @Test
    void sameInputGivesSameHubRegardlessOfHubOrder() {
        List<HubDescriptor> hubs = List.of(Hubs.A, Hubs.B, Hubs.C, Hubs.D);
        List<HubDescriptor> reversed = new ArrayList<>(hubs);
        Collections.reverse(reversed);
        List<HubDescriptor> rotated = new ArrayList<>(hubs);
        Collections.rotate(rotated, 1);

        for (int i = 0; i < 10_000; i++) {
            String id = Hubs.deviceId(i);
            HubDescriptor first = assigned(id, hubs);
            assertThat(assigned(id, hubs)).isEqualTo(first);
            assertThat(assigned(id, reversed)).isEqualTo(first);
            assertThat(assigned(id, rotated)).isEqualTo(first);
        }
    }

    @Test
    void registrationIdAndHostNameCompareIgnoringCase() {
        HubDescriptor upperA = new HubDescriptor(Hubs.A.name(), Hubs.A.hostName().toUpperCase(), 1, true);
        for (int i = 0; i < 10_000; i++) {
            String id = "Device-X" + i;
            String chosen = assigned(id, List.of(Hubs.A, Hubs.B, Hubs.C)).name();
            assertThat(assigned(id.toLowerCase(), List.of(Hubs.A, Hubs.B, Hubs.C)).name()).isEqualTo(chosen);
            assertThat(assigned(id, List.of(upperA, Hubs.B, Hubs.C)).name()).isEqualTo(chosen);
        }
    }

    @Test
    void pinnedAssignmentsNeverChange() {
        // Assignments are persisted and shared across nodes; a change to the hash must be a deliberate migration.
        // Expected values were cross-checked against an independent re-implementation of the algorithm.
        List<HubDescriptor> hubs = List.of(Hubs.A, Hubs.B, Hubs.C, Hubs.D);
        Map<String, String> pinned = Map.of(
                "line7-plc-0042", "d",
                "sn-007-888-abc-mac-a1-b2-c3-d4-e5-f6", "a",
                "temp-b-117", "c",
                "a", "b",
                "device-00001", "b");
        pinned.forEach((id, hub) -> assertThat(assigned(id, hubs).name()).as(id).isEqualTo(hub));
    }

    @Test
    void equalWeightsShareEvenly() {
        Map<String, Integer> counts = distribute(List.of(Hubs.A, Hubs.B, Hubs.C));
        for (HubDescriptor hub : List.of(Hubs.A, Hubs.B, Hubs.C)) {
            assertThat(share(counts, hub)).as(hub.name()).isCloseTo(1.0 / 3, within(0.02));
        }
    }

    @Test
    void sharesFollowWeights() {
        HubDescriptor one = Hubs.hub("one", 1);
        HubDescriptor two = Hubs.hub("two", 2);
        HubDescriptor three = Hubs.hub("three", 3);
        Map<String, Integer> counts = distribute(List.of(one, two, three));
        assertThat(share(counts, one)).isCloseTo(1.0 / 6, within(0.02));
        assertThat(share(counts, two)).isCloseTo(2.0 / 6, within(0.02));
        assertThat(share(counts, three)).isCloseTo(3.0 / 6, within(0.02));
    }

    @Test
    void largeWeightsAreProportionalToo() {
        HubDescriptor small = Hubs.hub("small", 100);
        HubDescriptor big = Hubs.hub("big", 900);
        Map<String, Integer> counts = distribute(List.of(small, big));
        assertThat(share(counts, small)).isCloseTo(0.1, within(0.02));
    }

    @Test
    void addingAHubMovesAboutItsShareAndOnlyToIt() {
        List<HubDescriptor> before = List.of(Hubs.A, Hubs.B, Hubs.C);
        List<HubDescriptor> after = List.of(Hubs.A, Hubs.B, Hubs.C, Hubs.D);
        int moved = 0;
        for (int i = 0; i < DEVICES; i++) {
            String id = Hubs.deviceId(i);
            HubDescriptor was = assigned(id, before);
            HubDescriptor now = assigned(id, after);
            if (!now.equals(was)) {
                moved++;
                assertThat(now).as("device %s moved from %s", id, was.name()).isEqualTo(Hubs.D);
            }
        }
        assertThat((double) moved / DEVICES).isBetween(0.22, 0.28);
    }

    @Test
    void removingAHubMovesOnlyItsDevices() {
        List<HubDescriptor> before = List.of(Hubs.A, Hubs.B, Hubs.C, Hubs.D);
        List<HubDescriptor> after = List.of(Hubs.A, Hubs.C, Hubs.D);
        int moved = 0;
        for (int i = 0; i < DEVICES; i++) {
            String id = Hubs.deviceId(i);
            HubDescriptor was = assigned(id, before);
            HubDescriptor now = assigned(id, after);
            if (was.equals(Hubs.B)) {
                moved++;
                assertThat(now).isNotEqualTo(Hubs.B);
            } else {
                assertThat(now).as("device %s on a remaining hub", id).isEqualTo(was);
            }
        }
        assertThat((double) moved / DEVICES).isCloseTo(0.25, within(0.02));
    }

    @Test
    void raisingAWeightOnlyMovesDevicesToThatHub() {
        List<HubDescriptor> before = List.of(Hubs.A, Hubs.B, Hubs.C);
        HubDescriptor heavierC = Hubs.hub("c", 3);
        List<HubDescriptor> after = List.of(Hubs.A, Hubs.B, heavierC);
        for (int i = 0; i < 20_000; i++) {
            String id = Hubs.deviceId(i);
            HubDescriptor was = assigned(id, before);
            HubDescriptor now = assigned(id, after);
            if (!now.name().equals(was.name())) {
                assertThat(now).isEqualTo(heavierC);
            }
        }
    }

    @Test
    void zeroWeightAndExcludedHubsGetNothing() {
        HubDescriptor drained = Hubs.hub("drained", 0);
        HubDescriptor excluded = new HubDescriptor("excluded", "hub-excluded.plant1.example", 1000, false);
        Map<String, Integer> counts = distribute(List.of(Hubs.A, drained, excluded, Hubs.B));
        assertThat(counts).containsOnlyKeys("a", "b");
    }

    @Test
    void enrollmentHubsRestrictTheChoice() {
        List<HubDescriptor> linked = List.of(Hubs.A, Hubs.B, Hubs.C, Hubs.D);
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            AllocationRequest request = new AllocationRequest(Hubs.deviceId(i), linked, List.of("hub-b.plant1.example", "D"), null);
            counts.merge(assignedHub(policy.allocate(request)).name(), 1, Integer::sum);
        }
        assertThat(counts).containsOnlyKeys("b", "d");
        assertThat(counts.get("b") / 10_000.0).isCloseTo(0.5, within(0.03));
    }

    @Test
    void rejectsWhenNoHubIsEligible() {
        HubDescriptor excluded = new HubDescriptor("excluded", "hub-excluded.plant1.example", 1, false);
        List<AllocationRequest> hopeless = List.of(
                Hubs.request("dev-1", List.of()),
                Hubs.request("dev-1", List.of(Hubs.hub("drained", 0), excluded)),
                new AllocationRequest("dev-1", List.of(Hubs.A), List.of("hub-z.plant1.example"), null));
        for (AllocationRequest request : hopeless) {
            assertThat(policy.allocate(request)).isInstanceOfSatisfying(AllocationDecision.Rejected.class,
                    r -> assertThat(r.reason()).isEqualTo(PolicyRejection.NO_HUB_LINKED));
        }
    }

    @Test
    void singleCandidateAlwaysWins() {
        for (int i = 0; i < 1_000; i++) {
            assertThat(assigned(Hubs.deviceId(i), List.of(Hubs.hub("only", 1000)))).isEqualTo(Hubs.hub("only", 1000));
        }
    }

    private HubDescriptor assigned(String registrationId, List<HubDescriptor> hubs) {
        return assignedHub(policy.allocate(Hubs.request(registrationId, hubs)));
    }

    private static HubDescriptor assignedHub(AllocationDecision decision) {
        assertThat(decision).isInstanceOf(AllocationDecision.Assigned.class);
        return ((AllocationDecision.Assigned) decision).hub();
    }

    private Map<String, Integer> distribute(List<HubDescriptor> hubs) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            counts.merge(assigned(Hubs.deviceId(i), hubs).name(), 1, Integer::sum);
        }
        return counts;
    }

    private static double share(Map<String, Integer> counts, HubDescriptor hub) {
        return counts.getOrDefault(hub.name(), 0) / (double) DEVICES;
    }
}
