package io.onramp.gateway.provisioning;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.AllocationPolicy;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.AllocationRequest;
import io.onramp.policy.allocation.CustomAllocation;
import io.onramp.policy.allocation.NetworkLocations;
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
    private volatile NetworkLocations locations;
    private final Map<AllocationPolicyKind, AllocationPolicy> policies = new EnumMap<>(AllocationPolicyKind.class);

    public HubAllocator(HubRegistry hubs, AllocationPolicyKind defaultPolicy, Map<String, List<String>> locations) {
        this.hubs = hubs;
        this.defaultPolicy = defaultPolicy;
        this.locations = NetworkLocations.of(locations);
        for (AllocationPolicyKind kind : AllocationPolicyKind.values()) {
            policies.put(kind, AllocationPolicy.of(kind));
        }
    }

    /** The config file's {@code allocation.policy} changed: registrations from now on use it. */
    public void useDefaultPolicy(AllocationPolicyKind changed) {
        this.defaultPolicy = changed;
    }

    /** The config file's {@code allocation.locations} changed (validated by the config's loading). */
    public void useLocations(Map<String, List<String>> changed) {
        this.locations = NetworkLocations.of(changed);
    }

    /** True when the enrollment's hub is chosen by its webhook ({@link CustomAllocator}), not here. */
    public static boolean isCustom(Enrollment enrollment) {
        return enrollment.allocationPolicy() == AllocationPolicyKind.CUSTOM;
    }

    /**
     * @param clientAddress the address the device registers from, which places it for the lowest-latency policy;
     *     null when not known
     * @throws ProvisioningException 400208 when no hub can be allocated
     */
    public HubDescriptor allocate(String registrationId, Enrollment enrollment, Optional<RegistrationRecord> previous,
            String clientAddress) {
        Optional<HubDescriptor> current = keptHub(enrollment, previous);
        if (current.isPresent()) {
            return current.get();
        }
        AllocationPolicyKind kind = enrollment.allocationPolicy() == null ? defaultPolicy : enrollment.allocationPolicy();
        String location = kind == AllocationPolicyKind.GEO_LATENCY ? locations.locate(clientAddress) : null;
        AllocationDecision decision = policies.get(kind).allocate(request(registrationId, enrollment, location));
        if (decision instanceof AllocationDecision.Assigned assigned) {
            return assigned.hub();
        }
        AllocationDecision.Rejected rejected = (AllocationDecision.Rejected) decision;
        throw new ProvisioningException(ErrorCode.NO_HUB_ALLOCATED, "No IoT hub could be allocated for this device.",
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
                .orElseGet(() -> CustomAllocation.offered(request(registrationId, enrollment, null)));
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

    private AllocationRequest request(String registrationId, Enrollment enrollment, String deviceLocation) {
        return new AllocationRequest(registrationId, hubs.hubs(), enrollment.iotHubs(), enrollment.iotHubHostName(),
                deviceLocation);
    }
}
