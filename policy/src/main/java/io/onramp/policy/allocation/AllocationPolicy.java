package io.onramp.policy.allocation;

import java.util.Objects;

/**
 * Chooses the hub for one registration. Implementations are pure functions of the request: no
 * I/O, no state, safe to call from any thread.
 */
public interface AllocationPolicy {

    AllocationDecision allocate(AllocationRequest request);

    /**
     * The policy for {@code kind}. Custom allocation is not a function of the request (a webhook chooses, see
     * {@link CustomAllocation}): as a policy it rejects with {@link PolicyRejection#UNSUPPORTED_POLICY}.
     */
    static AllocationPolicy of(AllocationPolicyKind kind) {
        Objects.requireNonNull(kind, "kind");
        return switch (kind) {
            case HASHED -> new HashedAllocation();
            case STATIC -> new StaticAllocation();
            case GEO_LATENCY -> new GeoLatencyAllocation();
            case CUSTOM -> new UnsupportedAllocation(kind);
        };
    }
}
