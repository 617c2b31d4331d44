package io.onramp.gateway.transport;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connections the gateway holds at once over all its listeners ({@code max}) and from one client
 * address ({@code perAddress}). {@code describe} says where {@code max} came from, for the start-up log.
 */
public record ConnectionLimits(int max, int perAddress, String describe) {

    /** Heap an idle connection may take, with room to spare: an idle TLS HTTPS connection takes about 20 KiB. */
    static final long HEAP_PER_CONNECTION = 32 * 1024;
    /** File descriptors kept for the store, logs, certificates and outgoing connections (webhooks, linked hubs). */
    static final long RESERVED_DESCRIPTORS = 1024;
    /** The default of {@code perAddress}; devices behind one NAT router share an address, so set it to their number. */
    public static final int DEFAULT_PER_ADDRESS = 1000;

    public ConnectionLimits {
        if (max < 1 || perAddress < 1) {
            throw new IllegalArgumentException("connection limits must be at least 1: " + max + ", " + perAddress);
        }
    }

    /**
     * {@code configuredMax} if given (not null), else what this JVM can hold: one connection per
     * {@link #HEAP_PER_CONNECTION} of its maximum heap and no more than its file descriptor limit leaves
     * after a reserve. A process that runs out of either stops serving everyone, not just the newcomers.
     */
    public static ConnectionLimits resolve(Integer configuredMax, int perAddress) {
        if (configuredMax != null) {
            return new ConnectionLimits(configuredMax, perAddress, "connections.max");
        }
        long heap = Runtime.getRuntime().maxMemory();
        long byHeap = heap / HEAP_PER_CONNECTION;
        long descriptors = descriptorLimit();
        long byDescriptors = descriptors <= 0 ? Long.MAX_VALUE
                : Math.max(descriptors / 2, descriptors - RESERVED_DESCRIPTORS);
        int max = (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.min(byHeap, byDescriptors)));
        String from = byHeap <= byDescriptors
                ? "one per " + HEAP_PER_CONNECTION / 1024 + " KiB of the " + heap / (1024 * 1024) + " MiB heap"
                : "the file descriptor limit of " + descriptors + " less " + (descriptors - byDescriptors) + " kept";
        return new ConnectionLimits(max, perAddress, "derived: " + from + "; set connections.max to change it");
    }

    /** The process's file descriptor limit (the JVM raises the soft limit to the hard one), or -1 where unknown. */
    static long descriptorLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
    }
}
