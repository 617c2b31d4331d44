package io.onramp.gateway.store;

/**
 * What the store's writer runs between two of its groups, where no transaction is open: {@code work}, about every
 * {@code periodMillis}, and sooner whenever {@code due} says so (checked after each group).
 */
record BetweenGroups(SqlWork<Void> work, long periodMillis, SqlWork<Boolean> due) {

    /** Only by the clock. */
    static BetweenGroups every(long periodMillis, SqlWork<Void> work) {
        return new BetweenGroups(work, periodMillis, c -> false);
    }
}
