package io.onramp.bench.mqtt;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers for the broker processes the bench starts, read from /proc where Linux has it. */
public final class Processes {

    /** USER_HZ: the unit of utime and stime in /proc/PID/stat on every Linux architecture we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    /** The last line of {@code jcmd PID GC.class_histogram}: instances, then bytes of all live objects. */
    private static final Pattern LIVE_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");

    private Processes() {}

    public static Process start(List<String> command, Path log) throws IOException {
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code host:port} accepts a TCP connection, or fails when the process died. */
    public static void awaitPort(String host, int port, Process process, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker process exited with " + process.exitValue());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(host + ":" + port + " did not open in time");
    }

    /** A port free now on {@code address}; the brokers' config files need fixed ones. */
    public static int freePort(String address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return socket.getLocalPort();
        }
    }

    /** Resident set size, in bytes. */
    public static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException("no VmRSS for process " + pid);
    }

    /** User plus system CPU time of a process (all its threads), in nanoseconds. */
    public static long cpuNanos(long pid) throws IOException {
        return cpuNanosFromStat(Files.readString(Path.of("/proc/" + pid + "/stat")));
    }

    /** Fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces. */
    public static long cpuNanosFromStat(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * NANOS_PER_TICK;
    }

    /** CPU time the whole machine spent busy (every core, all but idle and I/O wait), in nanoseconds. */
    public static long machineBusyNanos() throws IOException {
        return machineBusyNanosFromStat(Files.readAllLines(Path.of("/proc/stat")).get(0));
    }

    /** The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ... (guest time is in user). */
    public static long machineBusyNanosFromStat(String cpuLine) {
        String[] fields = cpuLine.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i <= Math.min(8, fields.length - 1); i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(fields[i]);
            }
        }
        return busy * NANOS_PER_TICK;
    }

    /**
     * Bytes of live objects in a JVM's heap, counted by a class histogram (which runs a full
     * collection first). The same measure under every collector: ZGC's heap_info rounds to megabytes.
     */
    public static long heapUsedAfterGc(long pid) throws Exception {
        return liveBytesFromHistogram(run("jcmd", Long.toString(pid), "GC.class_histogram"));
    }

    static long liveBytesFromHistogram(String histogram) {
        Matcher total = LIVE_TOTAL.matcher(histogram);
        if (!total.find()) {
            throw new IllegalStateException("no Total line from jcmd GC.class_histogram: "
                    + histogram.substring(Math.max(0, histogram.length() - 500)));
        }
        return Long.parseLong(total.group(1));
    }

    public static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return out;
    }

    public static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
