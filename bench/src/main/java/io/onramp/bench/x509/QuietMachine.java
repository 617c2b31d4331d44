package io.onramp.bench.x509;

import java.util.List;

/**
 * Waits (at most 10 s) until the machine is nearly idle before a round: the previous round's
 * store compaction, or another engineer's build, would otherwise be charged to this one.
 */
final class QuietMachine {

    private static final long WINDOW_MILLIS = 500;
    private static final double QUIET_CORES = 0.3;
    private static final long MAX_WAIT_MILLIS = 10_000;

    private QuietMachine() {}

    static void await(List<Long> opensslPids) throws InterruptedException {
        long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
        do {
            CpuSample before = CpuSample.take(opensslPids);
            Thread.sleep(WINDOW_MILLIS);
            double[] cores = before.coresUntil(CpuSample.take(opensslPids));
            if (cores[0] + cores[1] + cores[2] + cores[3] < QUIET_CORES) {
                return;
            }
        } while (System.currentTimeMillis() < deadline);
    }
}
