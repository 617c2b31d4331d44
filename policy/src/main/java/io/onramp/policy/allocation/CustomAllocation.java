package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Custom allocation (wire {@code custom}, spec §12.4): a webhook outside chooses the hub. This class says which
 * hubs it is offered (its {@code linkedHubs}) and checks its answer against them; the call itself is the
 * gateway's, this module does no I/O.
 */
public final class CustomAllocation {

    private CustomAllocation() {
    }

    /**
     * The hubs the webhook may choose from: those the enrollment names in {@code iotHubs} (a named hub is offered
     * even when it takes no part in weighing policies, as with static allocation), else every linked hub that takes
     * part in allocation. Weights are the hashed policy's business and are not looked at. Keeps the linked order.
     */
    public static List<HubDescriptor> offered(AllocationRequest request) {
        List<HubDescriptor> offered = new ArrayList<>(request.linkedHubs().size());
        for (HubDescriptor hub : request.linkedHubs()) {
            if (request.enrollmentHubs().isEmpty() ? hub.applyAllocationPolicy() : named(hub, request.enrollmentHubs())) {
                offered.add(hub);
            }
        }
        return Collections.unmodifiableList(offered);
    }

    /** The offered hub the webhook answered (its host name, ignoring case), or why its answer cannot be used. */
    public static AllocationDecision accept(List<HubDescriptor> offered, String answeredHostName) {
        if (answeredHostName == null || answeredHostName.isBlank()) {
            return new AllocationDecision.Rejected(PolicyRejection.CUSTOM_HUB_NOT_OFFERED,
                    "the webhook's answer names no hub (iotHubHostName)");
        }
        for (HubDescriptor hub : offered) {
            if (hub.hostName().equalsIgnoreCase(answeredHostName)) {
                return new AllocationDecision.Assigned(hub);
            }
        }
        return new AllocationDecision.Rejected(PolicyRejection.CUSTOM_HUB_NOT_OFFERED, "the webhook answered hub '"
                + answeredHostName + "', which is not one of the hubs offered to it (linkedHubs)");
    }

    private static boolean named(HubDescriptor hub, List<String> enrollmentHubs) {
        for (String wanted : enrollmentHubs) {
            if (wanted.equalsIgnoreCase(hub.hostName()) || wanted.equalsIgnoreCase(hub.name())) {
                return true;
            }
        }
        return false;
    }
}
