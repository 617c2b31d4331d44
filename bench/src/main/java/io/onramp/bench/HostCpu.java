package io.onramp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The whole machine's CPU between two instants, from the first line of {@code /proc/stat}: how busy its cores were,
 * and how much time the hypervisor gave to other guests while this one wanted it ({@code steal}). On a shared host
 * steal reached 15-44 % in some runs (2026-11-29), with both targets' maxima halved: a round's figures only compare
 * with rounds that had as little steal.
 */
final class HostCpu {

    private static final Path PROC_STAT = Path.of("/proc/stat");

    /** Shares of the cores' time, 0 to 1. */
    record Shares(double busy, double steal, double idle) {

        String describe() {
            return String.format(Locale.ROOT, "busy %.0f %%, steal %.0f %%, idle %.0f %% of the cores' time",
                    busy * 100, steal * 100, idle * 100);
        }
    }

    private final String startLine;

    private HostCpu(String startLine) {
        this.startLine = startLine;
    }

    static HostCpu start() {
        return new HostCpu(read());
    }

    /** Since {@link #start}; null where the system has no {@code /proc/stat}. */
    Shares sinceStart() {
        String now = read();
        return startLine == null || now == null ? null : between(startLine, now);
    }

    /** From two "cpu ..." lines: user nice system idle iowait irq softirq steal [guest guest_nice]. */
    static Shares between(String before, String after) {
        long[] a = fields(before);
        long[] b = fields(after);
        long[] d = new long[8];
        long total = 0;
        for (int i = 0; i < d.length; i++) {
            d[i] = b[i] - a[i];
            total += d[i];
        }
        if (total <= 0) {
            return new Shares(0, 0, 1);
        }
        double busy = d[0] + d[1] + d[2] + d[5] + d[6];
        return new Shares(busy / total, (double) d[7] / total, (double) (d[3] + d[4]) / total);
    }

    private static long[] fields(String line) {
        String[] parts = line.trim().split("\\s+");
        if (!parts[0].equals("cpu") || parts.length < 9) {
            throw new IllegalArgumentException("not the summary line of /proc/stat: " + line);
        }
        long[] values = new long[8];
        for (int i = 0; i < values.length; i++) {
            values[i] = Long.parseLong(parts[i + 1]);
        }
        return values;
    }

    private static String read() {
        try {
            return Files.exists(PROC_STAT) ? Files.readAllLines(PROC_STAT).get(0) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
