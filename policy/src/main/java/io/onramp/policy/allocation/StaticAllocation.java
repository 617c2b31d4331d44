package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;

/**
 * Static configuration (wire {@code static}): the device always goes to the one hub its enrollment
 * names. Weight and {@code applyAllocationPolicy} are ignored, because an explicitly named hub
 * may receive devices even when it is excluded from weighing policies (spec §12.1).
 */
public final class StaticAllocation implements AllocationPolicy {

    @Override
    public AllocationDecision allocate(AllocationRequest request) {
        String wanted = request.staticHubHostName();
        if (wanted == null || wanted.isBlank()) {
            return new AllocationDecision.Rejected(PolicyRejection.STATIC_HUB_MISSING,
                    "static allocation requires the enrollment to name a hub");
        }
        for (HubDescriptor hub : request.linkedHubs()) {
            if (hub.hostName().equalsIgnoreCase(wanted)) {
                return new AllocationDecision.Assigned(hub);
            }
        }
        return new AllocationDecision.Rejected(PolicyRejection.STATIC_HUB_NOT_LINKED,
                "hub '" + wanted + "' named for static allocation is not linked");
    }
}
