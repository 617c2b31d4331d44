package io.onramp.bench.enrollments;

import io.onramp.bench.DpsRegistrations;
import io.onramp.bench.MachineInfo;
import io.onramp.bench.mqtt.Processes;
import io.onramp.certs.sas.SymmetricKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Onramp with a million individual enrollments: how fast an operator imports them, what the gateway
 * holds in memory with them, whether a query's late pages cost more than its early ones, and
 * whether devices register as fast against a million enrollments as against a thousand. One real
 * gateway process, measured at a small stage and then at the large one; figures are printed and
 * written to bench/target/enrollment-scale.json, with the machine's context. Nothing is asserted:
 * this is a measurement, read by people.
 */
public final class EnrollmentScaleBench {

    private static final Pattern MAX_HEAP = Pattern.compile("MaxHeapSize=(\\d+)");
    /** Pages of a warm-up query before the measured one, so the JIT has compiled what a page runs. */
    private static final int WARMUP_PAGES = 30;

    private final ScaleOptions options;
    private final PrintStream out;
    private final JsonObject report = new JsonObject();
    private final String enrollmentKeySource = SymmetricKeys.generate();
    private final Random random = new Random(20261126L);

    private EnrollmentScaleBench(ScaleOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        ScaleOptions options;
        try {
            options = ScaleOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.println(ScaleOptions.USAGE);
            return;
        }
        new EnrollmentScaleBench(options, System.out).run();
    }

    private void run() throws Exception {
        Path target = Path.of("bench", "target");
        Files.createDirectories(target);
        Path workDir = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("onramp-enrollment-scale-");
        Path log = target.resolve("enrollment-scale-gateway.log");
        Path cliLog = target.resolve("enrollment-scale-import.log");
        Files.deleteIfExists(cliLog);
        line("# Onramp enrollment scale bench");
        JsonArray machine = new JsonArray();
        MachineInfo.describe().forEach(l -> {
            machine.add(l);
            line("# " + l);
        });
        line("# load:      " + loadAverage() + " (1, 5, 15 min) at the start");
        line("# options:   " + options.describe());
        line("# work dir:  " + workDir + ", gateway log " + log + ", import log " + cliLog);
        report.put("machine", machine).put("loadAverageAtStart", loadAverage()).put("options", options.describe());
        try (ScaleGateway gateway = new ScaleGateway(workDir, options.jar(), options.gatewayJvm(), log)) {
            long startMillis = gateway.start();
            report.put("gatewayMaxHeapBytes", maxHeap(gateway.pid()));
            line(String.format(Locale.ROOT, "# gateway:   pid %d, started in %,d ms, max heap %,d MB", gateway.pid(),
                    startMillis, report.getLong("gatewayMaxHeapBytes") / (1 << 20)));
            report.put("memoryEmpty", memory(gateway, "empty store"));
            warmup(gateway);
            report.put("small", stage(gateway, workDir, cliLog, 0, options.small()));
            report.put("large", stage(gateway, workDir, cliLog, options.small(), options.enrollments()));
            gateway.stop();
            long restartMillis = gateway.start();
            line(String.format(Locale.ROOT, "restart with %,d enrollments: listening after %,d ms", options.enrollments(),
                    restartMillis));
            report.put("restart", new JsonObject().put("millis", restartMillis)
                    .put("memory", memory(gateway, "after restart")));
            report.put("storeBytes", gateway.storeBytes());
        }
        summary();
        report.put("loadAverageAtEnd", loadAverage());
        Path json = target.resolve("enrollment-scale.json");
        Files.writeString(json, report.encodePrettily());
        line("# report: " + json);
    }

    /** Devices of the warm-up group, so the gateway's JIT has settled before the first measured registration. */
    private void warmup(ScaleGateway gateway) throws Exception {
        if (options.warmup() == 0) {
            return;
        }
        List<String> ids = IntStream.range(0, options.warmup()).mapToObj(i -> "warmup-" + i).toList();
        DpsRegistrations.Figures f = DpsRegistrations.register(gateway.caFile(), ScaleGateway.HOST, gateway.httpsPort(),
                ScaleGateway.ID_SCOPE, gateway.warmupGroupKey(), ids,
                options.connections(), options.inFlight());
        line(String.format(Locale.ROOT, "warm-up: %,d group devices registered at %,.0f/s (%d errors)", f.succeeded(),
                f.registrationsPerSecond(), f.errors()));
        report.put("warmup", figures(f));
    }

    /** Imports enrollments [from, to), then measures memory, a query of them all and registrations. */
    private JsonObject stage(ScaleGateway gateway, Path workDir, Path cliLog, int from, int to) throws Exception {
        JsonObject stage = new JsonObject().put("enrollments", to).put("loadAverage", loadAverage());
        line("");
        line(String.format(Locale.ROOT, "== %,d individual enrollments (load %s)", to, loadAverage()));
        Path csv = workDir.resolve("enrollments-" + from + "-" + to + ".csv");
        EnrollmentImport.writeCsv(csv, from, to, enrollmentKeySource);
        long cpu = gateway.cpuNanos();
        EnrollmentImport.Result imported = EnrollmentImport.run(gateway, csv, cliLog);
        double importCpuMicros = (gateway.cpuNanos() - cpu) / 1e3 / (to - from);
        Files.deleteIfExists(csv);
        line(String.format(Locale.ROOT, "import of %,d rows (onramp enrollments import, CSV): %,.1f s, %,.0f enrollments/s,"
                + " %d failed; gateway CPU %.0f us per enrollment", to - from, imported.seconds(), imported.perSecond(),
                imported.failed(), importCpuMicros));
        JsonArray steps = new JsonArray();
        StringBuilder rates = new StringBuilder();
        for (double[] step : imported.progress()) {
            steps.add(new JsonArray().add(step[0]).add((long) step[1]).add(Math.round(step[2])));
            rates.append(String.format(Locale.ROOT, " %.0f", step[2]));
        }
        if (imported.progress().size() > 1) {
            line("  rows/s over each 5 % of the file:" + rates);
        }
        stage.put("import", new JsonObject().put("rows", to - from).put("imported", imported.imported())
                .put("failed", imported.failed()).put("seconds", imported.seconds())
                .put("perSecond", imported.perSecond()).put("gatewayCpuMicrosPerEnrollment", importCpuMicros)
                .put("progress", steps).put("cliSummary", imported.summary()));
        stage.put("memoryAfterImport", memory(gateway, "after import"));

        Runnable slowPage = () -> threadDump(gateway, "a query page took over 15 s");
        QueryPager.pageAll(gateway, options.pageSize(), WARMUP_PAGES, gateway::cpuNanos, slowPage);
        QueryPager.Result pages = QueryPager.pageAll(gateway, options.pageSize(), 0, gateway::cpuNanos, slowPage);
        stage.put("query", pageFigures(pages));
        stage.put("memoryAfterQuery", memory(gateway, "after the query"));

        List<String> sample = sample(from, to);
        JsonArray rounds = new JsonArray();
        for (int round = 0; round <= options.reRegistrationRounds(); round++) {
            String label = round == 0 ? "first registration" : "re-registration " + round;
            cpu = gateway.cpuNanos();
            DpsRegistrations.Figures f = DpsRegistrations.register(gateway.caFile(), ScaleGateway.HOST, gateway.httpsPort(),
                    ScaleGateway.ID_SCOPE, enrollmentKeySource, sample, options.connections(), options.inFlight());
            double cpuMicros = (gateway.cpuNanos() - cpu) / 1e3 / Math.max(1, f.succeeded());
            line(String.format(Locale.ROOT, "%-20s %,6d devices: %,7.0f reg/s  p50 %6.2f ms  p99 %7.2f ms  gateway CPU"
                    + " %,5.0f us/reg  errors %d%s  (load %s)", label, sample.size(), f.registrationsPerSecond(),
                    f.p50Millis(), f.p99Millis(), cpuMicros, f.errors(), f.errors() > 0 ? ", e.g. " + f.firstError() : "",
                    loadAverage()));
            rounds.add(figures(f).put("round", label).put("gatewayCpuMicrosPerRegistration", cpuMicros)
                    .put("loadAverage", loadAverage()));
        }
        stage.put("registrations", rounds);
        stage.put("memoryAfterRegistrations", memory(gateway, "after registrations"));
        return stage;
    }

    /** A random sample of the stage's enrollments (its new ones), in random order. */
    private List<String> sample(int from, int to) {
        List<Integer> indexes = new ArrayList<>();
        int size = Math.min(options.sample(), to - from);
        if (size == to - from) {
            IntStream.range(from, to).forEach(indexes::add);
        } else {
            random.ints(from, to).distinct().limit(size).forEach(indexes::add);
        }
        Collections.shuffle(indexes, random);
        return indexes.stream().map(EnrollmentImport::registrationId).toList();
    }

    /**
     * Early against late pages, wall time and the gateway's CPU time, medians of 5 % of the pages at
     * each end (at least one, at most 50): on a shared machine CPU time per page is the steadier figure.
     */
    private JsonObject pageFigures(QueryPager.Result pages) {
        List<Double> times = pages.pageMillis();
        List<Double> cpu = pages.pageCpuMillis();
        // The last page may be partial: it is left out of the late pages.
        int full = times.size() > 1 ? times.size() - 1 : times.size();
        int edge = Math.max(1, Math.min(50, full / 20));
        double early = median(times.subList(0, edge));
        double late = median(times.subList(full - edge, full));
        double earlyCpu = median(cpu.subList(0, edge));
        double lateCpu = median(cpu.subList(full - edge, full));
        double max = times.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        line(String.format(Locale.ROOT, "query of all (page size %d): %,d items in %,d pages, %.1f s; ms per page, medians of"
                + " the first and last %d: %.1f and %.1f (gateway CPU %.1f and %.1f), median of all %.1f, max %.1f",
                options.pageSize(), pages.items(), times.size(), pages.seconds(), edge, early, late, earlyCpu, lateCpu,
                median(times.subList(0, full)), max));
        JsonArray sampled = new JsonArray();
        int step = Math.max(1, times.size() / 100);
        for (int i = 0; i < times.size(); i += step) {
            sampled.add(new JsonArray().add(i + 1).add(Math.round(times.get(i) * 100) / 100.0)
                    .add(Math.round(cpu.get(i) * 100) / 100.0));
        }
        return new JsonObject().put("pageSize", options.pageSize()).put("items", pages.items()).put("pages", times.size())
                .put("seconds", pages.seconds()).put("edgePages", edge).put("earlyMedianMillis", early)
                .put("lateMedianMillis", late).put("earlyMedianCpuMillis", earlyCpu).put("lateMedianCpuMillis", lateCpu)
                .put("medianMillis", median(times.subList(0, full))).put("maxMillis", max)
                .put("pageMillisAndCpuMillisSampled", sampled);
    }

    private JsonObject memory(ScaleGateway gateway, String when) throws Exception {
        long heap = gateway.heapUsedAfterGc();
        long rss = gateway.rssBytes();
        line(String.format(Locale.ROOT, "memory %-20s heap after GC %,7.1f MB, RSS %,7.1f MB", when + ":", heap / 1048576.0,
                rss / 1048576.0));
        return new JsonObject().put("heapUsedAfterGcBytes", heap).put("rssBytes", rss);
    }

    private void summary() {
        JsonObject small = report.getJsonObject("small");
        JsonObject large = report.getJsonObject("large");
        line("");
        line(String.format(Locale.ROOT, "== summary (%,d vs %,d enrollments)", small.getInteger("enrollments"),
                large.getInteger("enrollments")));
        line(String.format(Locale.ROOT, "import rate:        %,.0f enrollments/s (%,d rows), gateway CPU %.0f us per enrollment",
                large.getJsonObject("import").getDouble("perSecond"), large.getJsonObject("import").getLong("rows"),
                large.getJsonObject("import").getDouble("gatewayCpuMicrosPerEnrollment")));
        line(String.format(Locale.ROOT, "heap after GC:      %,.1f MB empty, %,.1f MB at %,d, %,.1f MB at %,d; after restart %,.1f MB",
                mb(report.getJsonObject("memoryEmpty"), "heapUsedAfterGcBytes"),
                mb(small.getJsonObject("memoryAfterImport"), "heapUsedAfterGcBytes"), small.getInteger("enrollments"),
                mb(large.getJsonObject("memoryAfterImport"), "heapUsedAfterGcBytes"), large.getInteger("enrollments"),
                mb(report.getJsonObject("restart").getJsonObject("memory"), "heapUsedAfterGcBytes")));
        line(String.format(Locale.ROOT, "RSS:                %,.1f MB empty, %,.1f MB at %,d; after restart %,.1f MB",
                mb(report.getJsonObject("memoryEmpty"), "rssBytes"), mb(large.getJsonObject("memoryAfterImport"), "rssBytes"),
                large.getInteger("enrollments"), mb(report.getJsonObject("restart").getJsonObject("memory"), "rssBytes")));
        JsonObject query = large.getJsonObject("query");
        line(String.format(Locale.ROOT, "query pages:        first %.1f ms, last %.1f ms; gateway CPU %.1f and %.1f ms"
                + " (medians of %d pages of %d at each end)", query.getDouble("earlyMedianMillis"),
                query.getDouble("lateMedianMillis"), query.getDouble("earlyMedianCpuMillis"),
                query.getDouble("lateMedianCpuMillis"), query.getInteger("edgePages"), options.pageSize()));
        for (int round = 0; round <= options.reRegistrationRounds(); round++) {
            JsonObject s = small.getJsonArray("registrations").getJsonObject(round);
            JsonObject l = large.getJsonArray("registrations").getJsonObject(round);
            line(String.format(Locale.ROOT, "%-20s %,7.0f reg/s at %,d vs %,7.0f reg/s at %,d (ratio %.2f); p99 %.1f vs %.1f ms;"
                    + " gateway CPU %,.0f vs %,.0f us/reg", s.getString("round") + ":", s.getDouble("perSecond"),
                    small.getInteger("enrollments"), l.getDouble("perSecond"), large.getInteger("enrollments"),
                    l.getDouble("perSecond") / s.getDouble("perSecond"), s.getDouble("p99Millis"), l.getDouble("p99Millis"),
                    s.getDouble("gatewayCpuMicrosPerRegistration"), l.getDouble("gatewayCpuMicrosPerRegistration")));
        }
        line(String.format(Locale.ROOT, "store on disk:      %,.1f MB", report.getLong("storeBytes") / 1048576.0));
    }

    private static JsonObject figures(DpsRegistrations.Figures f) {
        return new JsonObject().put("succeeded", f.succeeded()).put("perSecond", f.registrationsPerSecond())
                .put("p50Millis", f.p50Millis()).put("p99Millis", f.p99Millis()).put("errors", f.errors())
                .put("firstError", f.firstError());
    }

    private static double mb(JsonObject memory, String field) {
        return memory.getLong(field) / 1048576.0;
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /** The gateway's threads, to bench/target/enrollment-scale-threads.txt, when something takes too long. */
    private void threadDump(ScaleGateway gateway, String why) {
        try {
            Path file = Path.of("bench", "target", "enrollment-scale-threads.txt");
            Files.writeString(file, why + "\n" + Processes.run("jcmd", Long.toString(gateway.pid()), "Thread.print"));
            line("  (" + why + ": the gateway's threads are in " + file + ")");
        } catch (Exception e) {
            line("  (" + why + "; no thread dump: " + e + ")");
        }
    }

    private static long maxHeap(long pid) throws Exception {
        Matcher m = MAX_HEAP.matcher(Processes.run("jcmd", Long.toString(pid), "VM.flags"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String loadAverage() {
        return MachineInfo.loadAverage();
    }

    private void line(String text) {
        out.println(text);
        out.flush();
    }
}
