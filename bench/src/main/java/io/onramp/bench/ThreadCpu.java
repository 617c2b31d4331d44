package io.onramp.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads between two instants, summed by thread name with the digits
 * folded (vert.x-eventloop-thread-N): shows where a round's CPU went when the gateway and the load
 * generator share a JVM. What no live Java thread accounts for (GC, the JIT compilers, the VM) is the
 * process CPU less the sum, under "(GC, JIT, VM)".
 */
public final class ThreadCpu {

    private static final String OUTSIDE_THREADS = "(GC, JIT, VM)";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private final Map<Long, Long> startNanos = new HashMap<>();
    private long processStartNanos;

    private ThreadCpu() {}

    public static ThreadCpu start() {
        ThreadCpu snapshot = new ThreadCpu();
        snapshot.processStartNanos = OS.getProcessCpuTime();
        for (long id : THREADS.getAllThreadIds()) {
            snapshot.startNanos.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
        return snapshot;
    }

    /** Nanoseconds of CPU per folded thread name since {@link #start}, and outside the threads. */
    public Map<String, Long> sinceStart() {
        long processUsed = OS.getProcessCpuTime() - processStartNanos;
        Map<String, Long> byName = new TreeMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long used = Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()))
                    - startNanos.getOrDefault(info.getThreadId(), 0L);
            byName.merge(fold(info.getThreadName()), used, Long::sum);
        }
        byName.put(OUTSIDE_THREADS, processUsed - byName.values().stream().mapToLong(Long::longValue).sum());
        return byName;
    }

    /** A thread's name with its digits folded: the threads of one pool under one name. */
    static String fold(String threadName) {
        return threadName.replaceAll("\\d+", "N");
    }

    /** The {@code top} largest entries as "name 12.3 ms", per item when {@code items} > 0. */
    public static String describe(Map<String, Long> byName, int top, long items) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(byName.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, Long> entry : sorted.subList(0, Math.min(top, sorted.size()))) {
            text.append(text.isEmpty() ? "" : ", ").append(entry.getKey()).append(' ')
                    .append(String.format("%,.0f µs", entry.getValue() / 1e3 / Math.max(1, items)));
        }
        return text.toString();
    }
}
