package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.AllocationPolicy;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.AllocationRequest;
import io.onramp.policy.allocation.CustomAllocation;
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
 * says never to re-provision keeps the hub it has while that hub is still linked. For a custom allocation it says
 * which hubs the webhook is offered; the webhook chooses.
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

    /** True when the enrollment's hub is chosen by its webhook ({@link CustomAllocator}), not here. */
    public static boolean isCustom(Enrollment enrollment) {
        return enrollment.allocationPolicy() == AllocationPolicyKind.CUSTOM;
    }

    /** @throws ProvisioningException 400208 when no hub can be allocated */
    public HubDescriptor allocate(String registrationId, Enrollment enrollment, Optional<RegistrationRecord> previous) {
        Optional<HubDescriptor> current = keptHub(enrollment, previous);
        if (current.isPresent()) {
            return current.get();
        }
        AllocationPolicyKind kind = enrollment.allocationPolicy() == null ? defaultPolicy : enrollment.allocationPolicy();
        AllocationDecision decision = policies.get(kind).allocate(request(registrationId, enrollment));
        if (decision instanceof AllocationDecision.Assigned assigned) {
            return assigned.hub();
        }
        AllocationDecision.Rejected rejected = (AllocationDecision.Rejected) decision;
        // geoLatency lands here (not implemented): the registration ends "failed" with 400208 and this message,
        // which its registration state keeps.
        String message = rejected.reason() == PolicyRejection.UNSUPPORTED_POLICY
                ? "The enrollment's allocation policy '" + kind.wireName() + "' is not supported by this gateway."
                : "No IoT hub could be allocated for this device.";
        throw new ProvisioningException(ErrorCode.NO_HUB_ALLOCATED, message,
                "allocation rejected " + registrationId + ": " + rejected.reason() + " " + rejected.detail());
    }

    /**
     * The hubs a custom allocation's webhook may choose from (its {@code linkedHubs}): for a device whose enrollment
     * says never to re-provision, the hub it has while that hub is still linked; else {@link CustomAllocation#offered}.
     *
     * @throws ProvisioningException 400208 when there is none
     */
    public List<HubDescriptor> offeredToWebhook(String registrationId, Enrollment enrollment,
            Optional<RegistrationRecord> previous) {
        List<HubDescriptor> offered = keptHub(enrollment, previous).map(List::of)
                .orElseGet(() -> CustomAllocation.offered(request(registrationId, enrollment)));
        if (offered.isEmpty()) {
            throw new ProvisioningException(ErrorCode.NO_HUB_ALLOCATED, "No IoT hub could be allocated for this device.",
                    "custom allocation of " + registrationId + ": no linked hub to offer the webhook");
        }
        return offered;
    }

    /** The hub a device keeps because its enrollment says never to re-provision, while that hub is linked. */
    private Optional<HubDescriptor> keptHub(Enrollment enrollment, Optional<RegistrationRecord> previous) {
        if (previous.isPresent() && previous.get().assignedHub() != null
                && !enrollment.reprovisionPolicy().updateHubAssignment()) {
            return hubs.byHostName(previous.get().assignedHub());
        }
        return Optional.empty();
    }

    private AllocationRequest request(String registrationId, Enrollment enrollment) {
        return new AllocationRequest(registrationId, hubs.hubs(), enrollment.iotHubs(), enrollment.iotHubHostName());
    }
}
