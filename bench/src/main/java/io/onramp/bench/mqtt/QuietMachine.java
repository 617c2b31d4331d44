package io.onramp.bench.mqtt;

import java.io.IOException;

/**
 * Waits, before each figure, until the machine is nearly idle: the brokers at rest and nobody else
 * (a build, another test) busy. Gives up after a while and starts anyway; the report's "others"
 * column then shows what the figure had to share the cores with.
 */
final class QuietMachine {

    private static final long WINDOW_MILLIS = 500;
    /** Below a quarter of one core over a window counts as quiet. */
    private static final double QUIET_CORES = 0.25;
    private static final long MAX_WAIT_MILLIS = 15_000;

    private QuietMachine() {}

    /** Returns the milliseconds waited. */
    static long await() throws IOException, InterruptedException {
        long start = System.nanoTime();
        while (true) {
            long busyBefore = Processes.machineBusyNanos();
            long before = System.nanoTime();
            Thread.sleep(WINDOW_MILLIS);
            double cores = (double) (Processes.machineBusyNanos() - busyBefore) / (System.nanoTime() - before);
            long waited = (System.nanoTime() - start) / 1_000_000;
            if (cores < QUIET_CORES || waited >= MAX_WAIT_MILLIS) {
                return waited;
            }
        }
    }
}
