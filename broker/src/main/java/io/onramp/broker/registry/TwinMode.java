package io.onramp.broker.registry;

/** What provisioning does to the twin of a device that already exists at the hub. */
public enum TwinMode {
    /** Keep tags, desired and reported properties (re-provision and migrate data). */
    KEEP,
    /** Replace tags and desired with the initial twin and clear reported (re-provision and reset). */
    RESET
}
