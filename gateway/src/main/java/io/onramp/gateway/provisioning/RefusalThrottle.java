package io.onramp.gateway.provisioning;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slows down a client address whose attestations keep failing. A refused SAS token is expensive: a token that
 * matches no symmetric-key group is tried against every one (a few hundred us of CPU with 100 groups), so one client
 * sending bad tokens in a loop would take the cores from the devices that are provisioning. Each address may be
 * refused {@code burst} times, earning one refusal back every {@code 1/perSecond} s; once its budget is spent, its
 * attempts are answered 429001 without being checked, until it earns one back. Successes cost nothing: devices that
 * share an address with a misconfigured one (behind a NAT router) provision on until their neighbour has spent the
 * budget, and again as soon as it has earned one back.
 */
public final class RefusalThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalThrottle.class);
    /** Addresses tracked at most; beyond it a new one is not throttled (said once) rather than the heap filled. */
    static final int MAX_TRACKED = 100_000;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** What is left of an address's budget as of {@code atNanos}; {@code told} once its spending was logged. */
    private record Budget(double left, long atNanos, boolean told) {}

    private final int burst;
    private final int perSecond;
    private final double perNano;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Budget> budgets = new ConcurrentHashMap<>();
    private final AtomicBoolean toldFull = new AtomicBoolean();

    /** {@code burst} 0 turns the throttle off. */
    public RefusalThrottle(int burst, int perSecond) {
        this(burst, perSecond, System::nanoTime);
    }

    RefusalThrottle(int burst, int perSecond, LongSupplier nanoTime) {
        if (burst < 0 || perSecond < 1) {
            throw new IllegalArgumentException("burst must be >= 0 and perSecond >= 1");
        }
        this.burst = burst;
        this.perSecond = perSecond;
        this.perNano = (double) perSecond / NANOS_PER_SECOND;
        this.nanoTime = nanoTime;
    }

    /** Whether an attempt from this address may be checked; null (an address not known) always may. */
    public boolean admits(String address) {
        if (address == null || burst == 0) {
            return true;
        }
        Budget budget = budgets.get(address);
        return budget == null || refilled(budget, nanoTime.getAsLong()) >= 1;
    }

    /** Counts a refusal against the address. */
    public void refused(String address) {
        if (address == null || burst == 0) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (!budgets.containsKey(address) && budgets.size() >= MAX_TRACKED && !makeRoom(now)) {
            return;
        }
        boolean[] spentNow = new boolean[1];
        budgets.compute(address, (a, budget) -> {
            double left = budget == null ? burst : refilled(budget, now);
            // One line per episode, not one per refusal: told stays set until the budget has refilled.
            boolean told = budget != null && budget.told() && left < burst;
            spentNow[0] = left - 1 < 1 && !told;
            return new Budget(Math.max(0, left - 1), now, told || spentNow[0]);
        });
        if (spentNow[0]) {
            LOG.warn("{}: too many refused attestations (refusedAttestations: burst {}, perSecond {}); its next "
                    + "attempts are answered 429001 until it earns one back (logged at DEBUG only, counted in "
                    + "onramp_attestations_throttled_total)", address, burst, perSecond);
        }
    }

    /** Addresses tracked now (their budget not yet refilled, or not yet looked at since). */
    int tracked() {
        return budgets.size();
    }

    private double refilled(Budget budget, long now) {
        return Math.min(burst, budget.left() + (now - budget.atNanos()) * perNano);
    }

    /** Forgets the addresses whose budget has refilled: they are as good as never seen. */
    private boolean makeRoom(long now) {
        budgets.values().removeIf(budget -> refilled(budget, now) >= burst);
        if (budgets.size() < MAX_TRACKED) {
            return true;
        }
        if (toldFull.compareAndSet(false, true)) {
            LOG.warn("refused attestations come from more than {} addresses at once: new ones are not throttled",
                    MAX_TRACKED);
        }
        return false;
    }
}
