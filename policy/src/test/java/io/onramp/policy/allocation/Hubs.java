package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;
import java.util.List;

/** Hub fixtures for allocation tests. */
final class Hubs {

    static final HubDescriptor A = hub("a", 1);
    static final HubDescriptor B = hub("b", 1);
    static final HubDescriptor C = hub("c", 1);
    static final HubDescriptor D = hub("d", 1);

    private Hubs() {
    }

    static HubDescriptor hub(String name, int weight) {
        return new HubDescriptor(name, "hub-" + name + ".plant1.example", weight, true);
    }

    static AllocationRequest request(String registrationId, List<HubDescriptor> hubs) {
        return new AllocationRequest(registrationId, hubs, List.of(), null);
    }

    static String deviceId(int i) {
        return "line7-plc-" + i;
    }
}
