package io.onramp.broker.hub;

/**
 * How many reported-property updates a device may make: {@link #PER_SECOND} a second on average, in bursts of up
 * to {@link #BURST} (a token bucket). Each update is a durable write to the store every device shares: one device
 * writing as fast as it can (1,700 a second, measured) took the store's capacity from all the others. Made at a
 * session's first update, used on its event loop only.
 */
final class TwinWriteBudget {

    static final int PER_SECOND = 10;
    static final int BURST = 100;
    private static final long NANOS_PER_UPDATE = 1_000_000_000L / PER_SECOND;
    private static final long FULL = BURST * NANOS_PER_UPDATE;

    /** The budget saved up, in nanoseconds' worth: exact, where a fractional token count drifts. */
    private long saved = FULL;
    private long lastNanos;

    TwinWriteBudget(long nowNanos) {
        this.lastNanos = nowNanos;
    }

    /** Takes one update's worth; false when the device is over its budget (answer 429). */
    boolean take(long nowNanos) {
        saved = Math.min(FULL, saved + (nowNanos - lastNanos));
        lastNanos = nowNanos;
        if (saved < NANOS_PER_UPDATE) {
            return false;
        }
        saved -= NANOS_PER_UPDATE;
        return true;
    }
}
