package io.onramp.policy.allocation;

import io.onramp.policy.registry.HubDescriptor;
import java.util.List;

/**
 * Everything a policy needs to place one device.
 *
 * @param registrationId    the registration id the device presented
 * @param linkedHubs        snapshot of all linked hubs
 * @param enrollmentHubs    the enrollment's {@code iotHubs}; empty = no restriction. Entries match a
 *                          hub's host name or name, ignoring case
 * @param staticHubHostName the hub named for static allocation, or null
 * @param deviceLocation    where the device is, by its address ({@link NetworkLocations}), or null when unknown
 */
public record AllocationRequest(
        String registrationId,
        List<HubDescriptor> linkedHubs,
        List<String> enrollmentHubs,
        String staticHubHostName,
        String deviceLocation) {

    public AllocationRequest(String registrationId, List<HubDescriptor> linkedHubs, List<String> enrollmentHubs,
            String staticHubHostName) {
        this(registrationId, linkedHubs, enrollmentHubs, staticHubHostName, null);
    }

    public AllocationRequest {
        if (registrationId == null || registrationId.isBlank()) {
            throw new IllegalArgumentException("registrationId: required");
        }
        linkedHubs = linkedHubs == null ? List.of() : List.copyOf(linkedHubs);
        enrollmentHubs = enrollmentHubs == null ? List.of() : List.copyOf(enrollmentHubs);
    }

    /** The same request over other hubs. */
    public AllocationRequest withLinkedHubs(List<HubDescriptor> hubs) {
        return new AllocationRequest(registrationId, hubs, enrollmentHubs, staticHubHostName, deviceLocation);
    }
}
