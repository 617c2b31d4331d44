package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.AllocationPolicy;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.AllocationRequest;
import io.onramp.policy.allocation.PolicyRejection;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.registry.HubDescriptor;
import io.onramp.policy.registry.HubRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks the hub for a registration (dps-service-api.md 12.2): the enrollment's policy or the
 * service default, over the linked hubs restricted by the enrollment; a device whose enrollment
 * says never to re-provision keeps the hub it has while that hub is still linked.
 */
public final class HubAllocator {

    private final HubRegistry hubs;
    private volatile AllocationPolicyKind defaultPolicy;
    private final Map<AllocationPolicyKind, AllocationPolicy> policies = new EnumMap<>(AllocationPolicyKind.class);

    public HubAllocator(HubRegistry hubs, AllocationPolicyKind defaultPolicy) {
        this.hubs = hubs;
        this.defaultPolicy = defaultPolicy;
        for (AllocationPolicyKind kind : AllocationPolicyKind.values()) {
            policies.put(kind, AllocationPolicy.of(kind));
        }
    }

    /** The config file's {@code allocation.policy} changed: registrations from now on use it. */
    public void useDefaultPolicy(AllocationPolicyKind changed) {
        this.defaultPolicy = changed;
    }

    /** @throws ProvisioningException 400208 when no hub can be allocated */
    public HubDescriptor allocate(String registrationId, Enrollment enrollment, Optional<RegistrationRecord> previous) {
        List<HubDescriptor> linked = hubs.hubs();
        if (previous.isPresent() && previous.get().assignedHub() != null
                && !enrollment.reprovisionPolicy().updateHubAssignment()) {
            Optional<HubDescriptor> current = hubs.byHostName(previous.get().assignedHub());
            if (current.isPresent()) {
                return current.get();
            }
        }
        AllocationPolicyKind kind = enrollment.allocationPolicy() == null ? defaultPolicy : enrollment.allocationPolicy();
        AllocationRequest request = new AllocationRequest(registrationId, linked, enrollment.iotHubs(),
                enrollment.iotHubHostName());
        AllocationDecision decision = policies.get(kind).allocate(request);
        if (decision instanceof AllocationDecision.Assigned assigned) {
            return assigned.hub();
        }
        AllocationDecision.Rejected rejected = (AllocationDecision.Rejected) decision;
        // An enrollment with allocationPolicy custom lands here: the webhook call (spec 12.4) is not
        // implemented, so the device's registration ends "failed" with 400208 and this message, which
        // its registration state keeps. Never a hub the webhook did not choose.
        String message = rejected.reason() == PolicyRejection.UNSUPPORTED_POLICY
                ? "The enrollment's allocation policy '" + kind.wireName() + "' is not supported by this gateway."
                : "No IoT hub could be allocated for this device.";
        throw new ProvisioningException(ErrorCode.NO_HUB_ALLOCATED, message,
                "allocation rejected " + registrationId + ": " + rejected.reason() + " " + rejected.detail());
    }
}
