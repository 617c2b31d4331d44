package io.onramp.policy.registry;

/**
 * A linked hub as the allocation policies see it (ARM {@code IotHubDefinitionDescription}, spec §12.1).
 *
 * @param name                  display name of the link
 * @param hostName              the hub's host name; what devices are told in {@code assignedHub}
 * @param weight                0–1000; proportional share under hashed allocation, 0 = receives no new devices
 * @param applyAllocationPolicy false = never chosen by a policy, but may still be named by a static enrollment
 * @param location              where the hub is, for the lowest-latency policy: devices in the same location are
 *                              nearest it ({@code NetworkLocations}); null when not given
 */
public record HubDescriptor(String name, String hostName, int weight, boolean applyAllocationPolicy, String location) {

    public static final int MAX_WEIGHT = 1000;

    public HubDescriptor(String name, String hostName, int weight, boolean applyAllocationPolicy) {
        this(name, hostName, weight, applyAllocationPolicy, null);
    }

    public HubDescriptor {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: required");
        }
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("hostName: required");
        }
        if (weight < 0 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: must be 0-" + MAX_WEIGHT + ", got " + weight);
        }
    }
}
