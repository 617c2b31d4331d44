package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The hubs a weighing policy may choose from (spec §12.2, steps 2–4). */
public final class CandidateHubs {

    private CandidateHubs() {
    }

    /**
     * The linked hubs that take part in allocation ({@code applyAllocationPolicy} and a positive
     * weight), restricted to the enrollment's hubs when it names any. Keeps the linked-hub order.
     */
    public static List<HubDescriptor> select(AllocationRequest request) {
        List<HubDescriptor> candidates = new ArrayList<>(request.linkedHubs().size());
        for (HubDescriptor hub : request.linkedHubs()) {
            if (isCandidate(hub, request)) {
                candidates.add(hub);
            }
        }
        return Collections.unmodifiableList(candidates);
    }

    /** One hub's membership in {@link #select}; lets hot paths filter without building a list. */
    static boolean isCandidate(HubDescriptor hub, AllocationRequest request) {
        return hub.applyAllocationPolicy() && hub.weight() > 0 && allowedByEnrollment(hub, request.enrollmentHubs());
    }

    private static boolean allowedByEnrollment(HubDescriptor hub, List<String> enrollmentHubs) {
        if (enrollmentHubs.isEmpty()) {
            return true;
        }
        for (String wanted : enrollmentHubs) {
            if (wanted.equalsIgnoreCase(hub.hostName()) || wanted.equalsIgnoreCase(hub.name())) {
                return true;
            }
        }
        return false;
    }
}
