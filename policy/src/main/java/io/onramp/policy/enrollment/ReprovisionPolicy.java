package io.onramp.policy.enrollment;

/**
 * What happens when an already-provisioned device registers again (service API
 * {@code reprovisionPolicy}, spec §13.1).
 *
 * @param updateHubAssignment false = "never re-provision": the device stays on its current hub
 * @param migrateDeviceData   when the hub changes: true = move twin and identity, false = reset to the initial twin
 */
public record ReprovisionPolicy(boolean updateHubAssignment, boolean migrateDeviceData) {

    /** Azure's behaviour for enrollments created without a policy: re-provision and migrate data. */
    public static final ReprovisionPolicy DEFAULT = new ReprovisionPolicy(true, true);
}
