package io.onramp.policy.enrollment;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.CustomAllocationDefinition;
import java.time.Instant;
import java.util.List;

/**
 * An enrollment: the record that says whether and how a device may provision. An individual
 * enrollment matching a registration id always wins over a group, even when it is disabled
 * (spec §6), which is how a single device is blocked inside a group.
 */
public sealed interface Enrollment permits IndividualEnrollment, EnrollmentGroup {

    Attestation attestation();

    /** Legacy "desired hub" field from before allocation policies; null when not set. */
    String iotHubHostName();

    /** Hubs this enrollment may be assigned to; empty = all linked hubs. Never null. */
    List<String> iotHubs();

    InitialTwin initialTwin();

    ProvisioningStatus provisioningStatus();

    /** This enrollment's policy, or null to use the service-wide default at registration time. */
    AllocationPolicyKind allocationPolicy();

    /** The webhook of a {@code custom} allocation; null when not set, never null for {@code custom}. */
    CustomAllocationDefinition customAllocationDefinition();

    ReprovisionPolicy reprovisionPolicy();

    /** The {@code capabilities.iotEdge} flag given to the device identity on its hub. */
    boolean iotEdge();

    /** Opaque version tag for If-Match; null until the enrollment is stored. */
    String etag();

    /** Server-owned; null until the enrollment is stored. */
    Instant createdDateTimeUtc();

    /** Server-owned; null until the enrollment is stored. */
    Instant lastUpdatedDateTimeUtc();

    EnrollmentSource source();

    /** This enrollment with the server-owned members set, as the store stamps it on a write. */
    Enrollment withServerFields(String etag, Instant created, Instant updated);

    default boolean enabled() {
        return provisioningStatus() == ProvisioningStatus.ENABLED;
    }
}
