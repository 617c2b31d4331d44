package io.onramp.bench;

import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link ProvisioningBench}; every one has a default. */
record BenchOptions(int devices, int warmupSeconds, int concurrency, int connections, int clientThreads, int rounds,
        double rate, boolean halfRate, List<Target> targets, boolean customAllocation) {

    static final String USAGE = """
            usage: ProvisioningBench [options]
              --devices N          registrations per round (default 20000)
              --warmup-seconds S   unreported warm-up per target, in batches of --devices, the targets
                                   taking turns: at least S seconds each, then until the JIT is quiet,
                                   at most 4 S (default 60); before the half-rate rounds again, S/4
                                   at that rate
              --concurrency C      registrations in flight (default 64)
              --connections K      HTTPS keep-alive connections (default 64)
              --client-threads T   event loops of the load generator (default: one per core; with
                                   fewer, the client is what limits the bare handler)
              --rounds R           measured rounds per target, run alternately (default 3)
              --rate R             fixed rate in registrations/s instead of as fast as possible
              --half-rate          measure the maximum first, then R rounds at half the median maximum
              --target T           gateway, bare or both (default both)
              --allocation A       the bench group's allocation policy: hashed (default) or custom, a
                                   webhook in the servers' JVM (BenchWebhook) choosing each device's hub
            """;

    BenchOptions {
        positive("--devices", devices);
        positive("--concurrency", concurrency);
        positive("--connections", connections);
        positive("--client-threads", clientThreads);
        positive("--rounds", rounds);
        if (warmupSeconds < 0 || rate < 0) {
            throw new IllegalArgumentException("--warmup-seconds and --rate must not be negative");
        }
        if (rate > 0 && halfRate) {
            throw new IllegalArgumentException("give --rate or --half-rate, not both");
        }
        if (connections < clientThreads) {
            throw new IllegalArgumentException("--connections must be at least --client-threads");
        }
        targets = List.copyOf(targets);
    }

    static BenchOptions parse(String[] args) {
        int devices = 20_000;
        int warmupSeconds = 60;
        int concurrency = 64;
        int connections = 64;
        int clientThreads = Runtime.getRuntime().availableProcessors();
        int rounds = 3;
        double rate = 0;
        boolean halfRate = false;
        List<Target> targets = List.of(Target.GATEWAY, Target.BARE);
        boolean customAllocation = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            switch (name) {
                case "--half-rate" -> halfRate = true;
                case "--devices" -> devices = Integer.parseInt(value(args, ++i, name));
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value(args, ++i, name));
                case "--concurrency" -> concurrency = Integer.parseInt(value(args, ++i, name));
                case "--connections" -> connections = Integer.parseInt(value(args, ++i, name));
                case "--client-threads" -> clientThreads = Integer.parseInt(value(args, ++i, name));
                case "--rounds" -> rounds = Integer.parseInt(value(args, ++i, name));
                case "--rate" -> rate = Double.parseDouble(value(args, ++i, name));
                case "--target" -> targets = targets(value(args, ++i, name));
                case "--allocation" -> customAllocation = custom(value(args, ++i, name));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new BenchOptions(devices, warmupSeconds, concurrency, connections, clientThreads,
                rounds, rate, halfRate, targets, customAllocation);
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value after " + name);
        }
        return args[i];
    }

    private static boolean custom(String value) {
        return switch (value) {
            case "hashed" -> false;
            case "custom" -> true;
            default -> throw new IllegalArgumentException("--allocation must be hashed or custom");
        };
    }

    private static List<Target> targets(String value) {
        List<Target> targets = new ArrayList<>();
        switch (value) {
            case "gateway" -> targets.add(Target.GATEWAY);
            case "bare" -> targets.add(Target.BARE);
            case "both" -> {
                targets.add(Target.GATEWAY);
                targets.add(Target.BARE);
            }
            default -> throw new IllegalArgumentException("--target must be gateway, bare or both");
        }
        return targets;
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
