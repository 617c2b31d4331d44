package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;
import java.util.ArrayList;
import java.util.List;

/**
 * "Lowest latency" (wire {@code geoLatency}): a device goes to a hub in its own location, the one its address is in
 * ({@link NetworkLocations}), hashed by weight among those as {@link HashedAllocation} does; when no candidate hub is
 * there, or the device's location is not known, among all candidates. On a factory network latency follows the
 * network's layout, which the operator knows better than a measurement at registration would: Azure measures, this
 * policy is told (dps-service-api 12.3).
 */
public final class GeoLatencyAllocation implements AllocationPolicy {

    private final HashedAllocation hashed = new HashedAllocation();

    @Override
    public AllocationDecision allocate(AllocationRequest request) {
        String location = request.deviceLocation();
        if (location != null) {
            List<HubDescriptor> near = new ArrayList<>();
            for (HubDescriptor hub : request.linkedHubs()) {
                if (location.equalsIgnoreCase(hub.location()) && CandidateHubs.isCandidate(hub, request)) {
                    near.add(hub);
                }
            }
            if (!near.isEmpty()) {
                return hashed.allocate(request.withLinkedHubs(near));
            }
        }
        return hashed.allocate(request);
    }
}
