package io.onramp.bench;

import java.lang.management.ManagementFactory;

/**
 * Waits until this JVM is nearly idle before a round starts: after a gateway round its store keeps
 * compacting for seconds, which would otherwise be charged to whichever round comes next.
 */
final class QuietWait {

    private static final long WINDOW_MILLIS = 500;
    /** Below a tenth of one core over a window counts as quiet. */
    private static final double QUIET_CORES = 0.1;
    private static final long MAX_WAIT_MILLIS = 30_000;

    private QuietWait() {}

    /** Returns the milliseconds waited; gives up (and starts anyway) after 30 s. */
    static long untilQuiet() throws InterruptedException {
        if (!(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os)) {
            Thread.sleep(WINDOW_MILLIS);
            return WINDOW_MILLIS;
        }
        long start = System.nanoTime();
        long waited;
        do {
            long cpuBefore = os.getProcessCpuTime();
            long before = System.nanoTime();
            Thread.sleep(WINDOW_MILLIS);
            double cores = (double) (os.getProcessCpuTime() - cpuBefore) / (System.nanoTime() - before);
            waited = (System.nanoTime() - start) / 1_000_000;
            if (cores < QUIET_CORES) {
                break;
            }
        } while (waited < MAX_WAIT_MILLIS);
        return waited;
    }
}
