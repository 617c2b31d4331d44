package io.onramp.gateway.support;

import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * The most heap that one of the measured calls allocated on this thread: a map that grows inside one call (a table
 * twice as large, and a copy of every entry on the caller's event loop) shows up here as megabytes among kilobytes.
 */
public final class LargestAllocation {

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final long thread = Thread.currentThread().getId();
    private long largest;

    /** Runs {@code call} on this thread, counting what it allocates; returns its result. */
    public <T> T of(Supplier<T> call) {
        long before = threads.getThreadAllocatedBytes(thread);
        T result = call.get();
        largest = Math.max(largest, threads.getThreadAllocatedBytes(thread) - before);
        return result;
    }

    public long bytes() {
        return largest;
    }
}
