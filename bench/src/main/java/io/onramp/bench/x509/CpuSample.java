package io.onramp.bench.x509;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time at one instant: the load client's threads ({@code x509-client-*}), the rest of this JVM
 * (the gateways), the s_server processes, and the whole machine, so a window can say who used the
 * cores. Linux only (/proc); elsewhere the machine and s_server figures are zero.
 */
record CpuSample(long nanos, long clientNanos, long jvmNanos, long opensslNanos, long machineBusyNanos) {

    private static final long TICK_NANOS = 10_000_000; // USER_HZ = 100 on Linux

    static CpuSample take(List<Long> opensslPids) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long client = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("x509-client")) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                client += Math.max(0, cpu);
            }
        }
        long jvm = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
        long openssl = 0;
        for (long pid : opensslPids) {
            openssl += processTicks(pid) * TICK_NANOS;
        }
        return new CpuSample(System.nanoTime(), client, jvm, openssl, machineBusyTicks() * TICK_NANOS);
    }

    /** Cores used between {@code this} and {@code later}: client, gateways (JVM less client), s_server, others. */
    double[] coresUntil(CpuSample later) {
        double wall = later.nanos - nanos;
        double client = (later.clientNanos - clientNanos) / wall;
        double jvm = (later.jvmNanos - jvmNanos) / wall;
        double openssl = (later.opensslNanos - opensslNanos) / wall;
        double machine = (later.machineBusyNanos - machineBusyNanos) / wall;
        return new double[] {client, Math.max(0, jvm - client), openssl, Math.max(0, machine - jvm - openssl)};
    }

    private static long processTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Busy ticks of all CPUs: user, nice, system, irq and softirq of the cpu line. */
    private static long machineBusyTicks() {
        try {
            String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 8); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
