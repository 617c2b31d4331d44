package io.onramp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Heap allocated by this JVM's threads between two instants, summed by thread name with the digits folded,
 * as {@link ThreadCpu} does for CPU. Unlike a rate it hardly varies with the machine's noise, and every byte
 * allocated is work for the collector (and, on a heap that grows, a page the kernel must clear).
 */
public final class ThreadAllocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> startBytes = new HashMap<>();

    private ThreadAllocation() {}

    public static ThreadAllocation start() {
        ThreadAllocation snapshot = new ThreadAllocation();
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        for (int i = 0; i < ids.length; i++) {
            snapshot.startBytes.put(ids[i], Math.max(0, bytes[i]));
        }
        return snapshot;
    }

    /** Bytes allocated per folded thread name since {@link #start}, by the threads alive now. */
    public Map<String, Long> sinceStart() {
        long[] ids = THREADS.getAllThreadIds();
        long[] bytes = THREADS.getThreadAllocatedBytes(ids);
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        Map<String, Long> byName = new TreeMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] != null && bytes[i] >= 0) {
                byName.merge(ThreadCpu.fold(infos[i].getThreadName()), bytes[i] - startBytes.getOrDefault(ids[i], 0L),
                        Long::sum);
            }
        }
        return byName;
    }

    /** The total and the {@code top} largest entries as "name 12.3 KB", per item. */
    public static String describe(Map<String, Long> byName, int top, long items) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byName.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        long per = Math.max(1, items);
        StringBuilder text = new StringBuilder(String.format("%,.1f KB in all", total(byName) / 1024.0 / per));
        for (Map.Entry<String, Long> entry : sorted.subList(0, Math.min(top, sorted.size()))) {
            text.append(", ").append(entry.getKey()).append(' ')
                    .append(String.format("%,.1f KB", entry.getValue() / 1024.0 / per));
        }
        return text.toString();
    }

    private static long total(Map<String, Long> byName) {
        return byName.values().stream().mapToLong(Long::longValue).sum();
    }
}
