package io.onramp.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the garbage collectors and the JIT did between two instants: the collections of each collector with their
 * time, and the JIT's compile time. The CPU line's "(GC, JIT, VM)" lumps them together; a round's p99 often hangs on
 * which of them ran (a ZGC cycle takes one of the two cores for about a second, the JIT recompiles after a change of
 * load), so each round names them.
 */
public final class CollectorActivity {

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final Map<String, long[]> startByCollector = new LinkedHashMap<>();
    private final long startJitMillis;

    private CollectorActivity() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            startByCollector.put(collector.getName(), new long[] {collector.getCollectionCount(), collector.getCollectionTime()});
        }
        startJitMillis = jitMillis();
    }

    public static CollectorActivity start() {
        return new CollectorActivity();
    }

    /** E.g. "ZGC Cycles 1 in 1,052 ms, ZGC Pauses 4 in 0 ms; JIT 310 ms", collectors that did nothing left out. */
    public String sinceStart() {
        StringBuilder text = new StringBuilder();
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            long[] start = startByCollector.getOrDefault(collector.getName(), new long[2]);
            long count = collector.getCollectionCount() - start[0];
            if (count > 0) {
                text.append(text.isEmpty() ? "" : ", ").append(collector.getName()).append(' ').append(count)
                        .append(String.format(" in %,d ms", collector.getCollectionTime() - start[1]));
            }
        }
        return (text.isEmpty() ? "no collection" : text) + String.format("; JIT %,d ms", jitMillis() - startJitMillis);
    }

    /** Milliseconds the JIT compiled for since the JVM started (0 where the JVM does not tell). */
    static long jitMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported() ? JIT.getTotalCompilationTime() : 0;
    }
}
