package io.onramp.bench.enrollments;

import io.onramp.certs.sas.SymmetricKeys;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An import the way an operator runs it: a CSV file of individual symmetric-key enrollments given
 * to {@code onramp enrollments import} (the shaded jar in its own JVM, the config of the gateway),
 * which sends them to the gateway as bulk operations of ten. Each enrollment's primary key is the
 * derived key of the bench's key source for its registration ID, so the bench can sign its tokens.
 */
final class EnrollmentImport {

    /** What the command did: rows, failures, wall time, and the rate at each step of its progress bar. */
    record Result(long imported, long failed, double seconds, List<double[]> progress, String summary) {
        double perSecond() {
            return imported / seconds;
        }
    }

    // "[####      ]  20% 200000/1000000 rows, 3512/s" and "imported 999000, failed 0, in 12.3 s (..."
    private static final Pattern PROGRESS = Pattern.compile("\\]\\s+(\\d+)% (\\d+)/(\\d+) rows");
    private static final Pattern SUMMARY = Pattern.compile("imported (\\d+), failed (\\d+)");

    private EnrollmentImport() {}

    static String registrationId(int i) {
        return String.format(Locale.ROOT, "scale-%07d", i);
    }

    /** Writes rows {@code from} (inclusive) to {@code to} (exclusive) as the CLI's CSV. */
    static void writeCsv(Path file, int from, int to, String keySource) throws Exception {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("registrationId,primaryKey,secondaryKey,deviceId,iotHubHostName,provisioningStatus\n");
            for (int i = from; i < to; i++) {
                String id = registrationId(i);
                out.write(id + "," + SymmetricKeys.deriveDeviceKey(keySource, id) + ",,,,\n");
            }
        }
    }

    /**
     * Runs the CLI's import of {@code file}; its output goes to {@code log}. The progress bar's
     * lines give the rate over each 5 % of the file, so a slowdown as the table grows shows.
     */
    static Result run(ScaleGateway gateway, Path file, Path log) throws Exception {
        List<String> command = List.of(ScaleGateway.java(), "-jar", gateway.jar().toString(), "enrollments", "import",
                file.toString(), "--config", gateway.config().toString(), "--failed", file + ".failed");
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<double[]> progress = new ArrayList<>();
        long imported = -1;
        long failed = -1;
        String summary = "";
        double lastSeconds = 0;
        long lastRows = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                double now = (System.nanoTime() - started) / 1e9;
                out.write(String.format(Locale.ROOT, "%8.1f s  %s%n", now, line));
                Matcher p = PROGRESS.matcher(line);
                if (p.find()) {
                    long rows = Long.parseLong(p.group(2));
                    // [percent done, rows done, rows/s since the previous line]
                    progress.add(new double[] {Double.parseDouble(p.group(1)), rows,
                        (rows - lastRows) / Math.max(1e-3, now - lastSeconds)});
                    lastRows = rows;
                    lastSeconds = now;
                }
                Matcher s = SUMMARY.matcher(line);
                if (s.find()) {
                    imported = Long.parseLong(s.group(1));
                    failed = Long.parseLong(s.group(2));
                    summary = line;
                }
            }
        }
        int exit = process.waitFor();
        double seconds = (System.nanoTime() - started) / 1e9;
        if (imported < 0) {
            throw new IllegalStateException("the import ended (exit " + exit + ") without a summary; see " + log);
        }
        return new Result(imported, failed, seconds, progress, summary);
    }
}
