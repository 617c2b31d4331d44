package io.onramp.policy.allocation;

/** Why a policy could not place a device. */
public enum PolicyRejection {
    /** No linked hub is eligible (none linked, all excluded by weight, flag or the enrollment's hub list). */
    NO_HUB_LINKED,
    /** Static allocation names a hub that is not linked. */
    STATIC_HUB_NOT_LINKED,
    /** Static allocation without a hub name on the enrollment. */
    STATIC_HUB_MISSING,
    /** A custom allocation's webhook answered a hub it was not offered (or none). */
    CUSTOM_HUB_NOT_OFFERED,
    /** The policy is not implemented (yet). */
    UNSUPPORTED_POLICY
}
