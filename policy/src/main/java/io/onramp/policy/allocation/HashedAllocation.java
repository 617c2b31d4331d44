package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;

/**
 * "Evenly weighted distribution" (wire {@code hashed}) as weighted rendezvous hashing: every
 * candidate hub scores {@code -weight / ln(u)}, where {@code u} in (0, 1) is a stable hash of the
 * lower-cased registration id and hub host name, and the highest score wins. A hub then gets a
 * share of devices proportional to its weight, the result does not depend on the order of the hub
 * list, and linking or unlinking a hub moves only the devices that go to or came from that hub.
 *
 * <p>Cheap enough for the registration hot path: no list is built and nothing is allocated for
 * ASCII ids and host names.
 */
public final class HashedAllocation implements AllocationPolicy {

    // Cannot occur in a registration id or host name, so ("ab", "c") and ("a", "bc") hash apart.
    private static final int SEPARATOR = '\n';

    @Override
    public AllocationDecision allocate(AllocationRequest request) {
        long idState = StableHash.addByte(StableHash.addLowerCase(StableHash.START, request.registrationId()), SEPARATOR);
        HubDescriptor best = null;
        double bestScore = 0;
        for (HubDescriptor hub : request.linkedHubs()) {
            if (!CandidateHubs.isCandidate(hub, request)) {
                continue;
            }
            double score = score(idState, hub);
            if (best == null || score > bestScore || (score == bestScore && precedes(hub, best))) {
                best = hub;
                bestScore = score;
            }
        }
        if (best == null) {
            return new AllocationDecision.Rejected(PolicyRejection.NO_HUB_LINKED,
                    "no linked hub is eligible for hashed allocation");
        }
        return new AllocationDecision.Assigned(best);
    }

    private static double score(long idState, HubDescriptor hub) {
        double u = StableHash.toOpenUnitInterval(StableHash.finish(StableHash.addLowerCase(idState, hub.hostName())));
        // ln(u) < 0, so every score is positive; its distribution makes P(win) = weight / total weight.
        return -hub.weight() / Math.log(u);
    }

    // Total order for equal scores (in practice: the same host name listed twice), so the list order never matters.
    private static boolean precedes(HubDescriptor a, HubDescriptor b) {
        int byHost = String.CASE_INSENSITIVE_ORDER.compare(a.hostName(), b.hostName());
        if (byHost != 0) {
            return byHost < 0;
        }
        int byExactHost = a.hostName().compareTo(b.hostName());
        if (byExactHost != 0) {
            return byExactHost < 0;
        }
        return a.name().compareTo(b.name()) < 0;
    }
}
