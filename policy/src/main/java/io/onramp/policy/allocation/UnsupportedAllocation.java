package io.onramp.policy.allocation;

/** Stands in for policies not implemented yet, so a configured but unsupported policy fails closed. */
final class UnsupportedAllocation implements AllocationPolicy {

    private final AllocationPolicyKind kind;

    UnsupportedAllocation(AllocationPolicyKind kind) {
        this.kind = kind;
    }

    @Override
    public AllocationDecision allocate(AllocationRequest request) {
        return new AllocationDecision.Rejected(PolicyRejection.UNSUPPORTED_POLICY,
                "allocation policy '" + kind.wireName() + "' is not supported");
    }
}
