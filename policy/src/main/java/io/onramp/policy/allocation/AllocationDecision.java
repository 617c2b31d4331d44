package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;

/** The outcome of an allocation: a hub, or a reason why there is none. */
public sealed interface AllocationDecision {

    record Assigned(HubDescriptor hub) implements AllocationDecision {
        public Assigned {
            if (hub == null) {
                throw new IllegalArgumentException("hub: required");
            }
        }
    }

    /**
     * @param detail operator-facing explanation for logs and the registration record; not meant for the device
     */
    record Rejected(PolicyRejection reason, String detail) implements AllocationDecision {
        public Rejected {
            if (reason == null) {
                throw new IllegalArgumentException("reason: required");
            }
        }
    }
}
