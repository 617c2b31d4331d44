package io.onramp.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Provisioning load test: a real gateway and a bare SAS-checking HTTPS handler in this JVM, loaded
 * alternately by simulated devices of a symmetric-key group. One registration is register plus
 * polls until assigned, each a new device stored durably by the gateway. Prints every round and the
 * medians, since one run on a shared machine proves little.
 */
public final class ProvisioningBench {

    /** A warm-up batch whose JIT compile time is below this share of its time finds the JIT settled. */
    private static final double SETTLED_JIT_SHARE = 0.05;
    /**
     * ... and whose servers' page faults were under this many per registration: the heap touched all over, as in a
     * gateway that has run for a while (1.4 per registration while a new 6 GB heap is first touched, 0.01 after).
     */
    private static final double SETTLED_FAULTS_PER_REGISTRATION = 0.1;
    /** A round where the hypervisor took more than this share of the cores (steal) ran on a contended host. */
    private static final double CONTENDED_STEAL_SHARE = 0.05;

    private final BenchOptions options;
    private final Report report = new Report(System.out);
    private final Map<Target, List<RoundResult>> maxRounds = new EnumMap<>(Target.class);
    private final Map<Target, List<RoundResult>> rateRounds = new EnumMap<>(Target.class);
    private ServerProcess servers;
    private LoadGenerator load;
    private long gatewayRegistrations;
    /** The host's steal in each measured round, both targets. */
    private final List<Double> roundSteal = new ArrayList<>();
    /** Warm-up batches so far, which name their devices: every batch registers new ones. */
    private int warmUpBatches;

    private ProvisioningBench(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path dataDir = Files.createTempDirectory("onramp-bench");
        int status;
        try {
            status = new ProvisioningBench(options).run(dataDir);
        } finally {
            Directories.deleteTree(dataDir);
        }
        // Vert.x and Hazelcast are closed, but a straggling non-daemon thread must not keep the CLI alive.
        System.exit(status);
    }

    private int run(Path dataDir) throws Exception {
        report.line("Onramp provisioning bench: " + options);
        MachineInfo.describe().forEach(report::line);
        try {
            startAll(dataDir);
            Map<Target, Double> roundRates = new EnumMap<>(Target.class);
            options.targets().forEach(target -> roundRates.put(target, options.rate()));
            warmUp(roundRates, TimeUnit.SECONDS.toNanos(options.warmupSeconds()));
            report.header();
            for (int round = 1; round <= options.rounds(); round++) {
                for (Target target : order(round)) {
                    double rate = options.rate();
                    maxRounds.computeIfAbsent(target, t -> new ArrayList<>())
                            .add(measure(target, "round " + round, "-r" + round + "-", rate));
                }
            }
            if (options.halfRate()) {
                halfRateRounds();
            }
            return summary();
        } finally {
            closeAll();
        }
    }

    private void startAll(Path dataDir) throws Exception {
        servers = ServerProcess.start(dataDir, options.targets().contains(Target.BARE), options.customAllocation());
        report.line("servers:   process " + servers.pid() + " (JVM options: " + servers.javaOptions() + ")");
        report.line("allocation: " + (options.customAllocation()
                ? "custom: each registration asks a webhook in the servers' JVM (BenchWebhook, HTTP on loopback)"
                : "hashed"));
        report.line("gateway:   https://" + BenchGateway.ADDRESS + ":" + servers.gatewayPort() + ", data in " + dataDir);
        if (servers.barePort() > 0) {
            report.line("bare:      https://" + BenchGateway.ADDRESS + ":" + servers.barePort());
        }
        load = LoadGenerator.start(servers.caFile(), options.clientThreads(), options.connections(), options.concurrency());
    }

    /**
     * Unreported batches at the rounds' rate (0: as fast as possible), the targets taking turns, for at least
     * {@code minimum} per target, then until a turn in which, in each batch, the JIT compiled for under 5 % of its time
     * and the servers' JVM took under 0.1 page faults per registration, but never past four times that. On 2 shared
     * cores the gateway's JIT takes minutes, and recompiles for seconds again when the load changes: from full speed to
     * a fixed rate (a round measured meanwhile had a C2 thread on one of the two cores for up to 1.7 s and a p99 of
     * 26 ms), or from one target to the other, whose servers share Netty's and Vert.x's code; turns warm both up with
     * the other's profile in place. A new JVM's heap is first touched for minutes too ({@link PageFaults}), at a
     * tenth of the hot threads' CPU. (Waiting until a batch was no faster than the best before it, as the warm-up did,
     * let rounds start with the JIT busy, and kept a noisy target warming up.)
     */
    private void warmUp(Map<Target, Double> rates, long minimum) throws Exception {
        long begin = System.nanoTime();
        long least = minimum * options.targets().size();
        boolean settled = false;
        while (!(settled && System.nanoTime() - begin >= least) && System.nanoTime() - begin < 4 * least) {
            settled = true;
            for (Target target : options.targets()) {
                settled &= warmUpBatch(target, rates.get(target));
            }
        }
    }

    /** One warm-up batch; whether the JIT and the heap were settled during it. */
    private boolean warmUpBatch(Target target, double rateLimit) throws Exception {
        long jitBefore = servers.jitMillis();
        long faultsBefore = servers.minorFaults();
        long batchBegin = System.nanoTime();
        RoundResult warm = run(target, "warm-up", DeviceBatch.create("bench-" + target.label() + "-w" + ++warmUpBatches
                + "-", options.devices(), BenchGateway.ID_SCOPE, BenchGateway.GROUP_PRIMARY_KEY), rateLimit);
        double jitShare = (servers.jitMillis() - jitBefore) * 1e6 / (System.nanoTime() - batchBegin);
        double faults = (double) (servers.minorFaults() - faultsBefore) / Math.max(1, warm.succeeded());
        report.line(String.format(Locale.ROOT,
                "warm-up %-8s %6.0f reg/s, JIT %2.0f %% of a core, %.2f page faults per registration, %d errors (not counted)",
                target.label(), warm.registrationsPerSecond(), jitShare * 100, faults, warm.errors().total()));
        return jitShare < SETTLED_JIT_SHARE && faults < SETTLED_FAULTS_PER_REGISTRATION;
    }

    /** The order alternates from round to round, so neither target always runs on a warmer machine. */
    private List<Target> order(int round) {
        List<Target> order = new ArrayList<>(options.targets());
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return order;
    }

    private void halfRateRounds() throws Exception {
        Map<Target, Double> rates = new EnumMap<>(Target.class);
        for (Target target : options.targets()) {
            rates.put(target, Report.median(maxRounds.get(target), RoundResult::registrationsPerSecond) / 2);
        }
        rates.forEach((target, rate) -> report.line(String.format(Locale.ROOT,
                "%s: fixed rate at half the median maximum, %.0f registrations/s", target.label(), rate)));
        // The JIT recompiles for the new load: at least one batch, as long as the JIT keeps busy.
        warmUp(rates, TimeUnit.SECONDS.toNanos(options.warmupSeconds()) / 4);
        for (int round = 1; round <= options.rounds(); round++) {
            for (Target target : order(round)) {
                rateRounds.computeIfAbsent(target, t -> new ArrayList<>())
                        .add(measure(target, "half " + round, "-h" + round + "-", rates.get(target)));
            }
        }
    }

    private RoundResult measure(Target target, String label, String idInfix, double rate) throws Exception {
        // Fresh IDs each round: every gateway registration is a new device, written durably.
        DeviceBatch devices = DeviceBatch.create("bench-" + target.label() + idInfix, options.devices(),
                BenchGateway.ID_SCOPE, BenchGateway.GROUP_PRIMARY_KEY);
        // Start each round from collected heaps and idle JVMs, so that one round's garbage and
        // background work are not charged to the next.
        System.gc();
        servers.quiet();
        servers.begin();
        ThreadCpu clientCpu = ThreadCpu.start();
        HostCpu host = HostCpu.start();
        RoundResult result = run(target, label, devices, rate);
        HostCpu.Shares machine = host.sinceStart();
        report.round(result);
        servers.end(result.succeeded()).forEach(report::line);
        report.line("    load generator's CPU per registration: " + ThreadCpu.describe(clientCpu.sinceStart(), 3,
                result.succeeded()));
        if (machine != null) {
            report.line("    machine during the round: " + machine.describe());
            roundSteal.add(machine.steal());
        }
        return result;
    }

    private RoundResult run(Target target, String label, DeviceBatch devices, double rate) throws Exception {
        int port = target == Target.GATEWAY ? servers.gatewayPort() : servers.barePort();
        RoundResult result = load.run(target, label, BenchGateway.ADDRESS, port, devices, rate);
        if (target == Target.GATEWAY) {
            gatewayRegistrations += result.succeeded();
        }
        return result;
    }

    private int summary() throws Exception {
        report.line("");
        report.line("summary (medians over rounds)");
        Map<Target, double[]> max = new EnumMap<>(Target.class);
        for (Target target : options.targets()) {
            String mode = options.rate() > 0 ? " fixed rate" : " max";
            max.put(target, report.medians(target.label() + mode, maxRounds.get(target)));
        }
        Map<Target, double[]> half = new EnumMap<>(Target.class);
        for (Target target : rateRounds.keySet()) {
            half.put(target, report.medians(target.label() + " half-rate", rateRounds.get(target)));
        }
        double[] g = max.get(Target.GATEWAY);
        double[] b = max.get(Target.BARE);
        if (g != null && b != null && options.rate() == 0) {
            report.line(String.format(Locale.ROOT, "gateway/bare request rate: %.1f%% (registrations: %.1f%%)",
                    100 * g[1] / b[1], 100 * g[0] / b[0]));
        }
        if (g != null && options.rate() == 0) {
            report.verdict("gateway >= 5,000 durable registrations/s", g[0] >= Report.TARGET_REGISTRATIONS_PER_SECOND);
            if (b != null) {
                report.verdict("gateway request rate >= 65% of the bare handler's", g[1] >= Report.TARGET_RATIO * b[1]);
            }
        }
        if (half.containsKey(Target.GATEWAY)) {
            report.verdict("gateway p99 < 10 ms at half the maximum rate",
                    half.get(Target.GATEWAY)[3] < Report.TARGET_P99_MILLIS);
        }
        if (!roundSteal.isEmpty()) {
            double most = roundSteal.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            report.line(String.format(Locale.ROOT, "host steal in the measured rounds: at most %.0f %%%s", most * 100,
                    most > CONTENDED_STEAL_SHARE ? ": the host gave this machine's cores to others, so its figures are"
                            + " low and compare only with runs as contended" : ""));
        }
        Map<String, Long> stored = servers.devicesPerHub();
        long total = stored.values().stream().mapToLong(Long::longValue).sum();
        report.line("gateway devices stored per hub: " + stored + ", total " + total + " (successful registrations: "
                + gatewayRegistrations + ")" + (total == gatewayRegistrations ? "" : "  MISMATCH"));
        long errors = Stream.concat(maxRounds.values().stream(), rateRounds.values().stream()).flatMap(List::stream)
                .mapToLong(r -> r.errors().total()).sum();
        return errors == 0 && total == gatewayRegistrations ? 0 : 1;
    }

    private void closeAll() throws Exception {
        if (load != null) {
            load.close();
        }
        if (servers != null) {
            servers.close();
        }
    }
}
