package io.onramp.bench;

import java.util.ArrayList;
import java.util.List;

/** Command-line options of {@link ProvisioningBench}; every one has a default. */
record BenchOptions(int devices, int warmupDevices, int concurrency, int connections, int clientThreads, int rounds,
    double rate, boolean halfRate, List<Target> targets) {

  static final String USAGE = """
      usage: ProvisioningBench [options]
        --devices N          registrations per round (default 20000)
        --warmup N           registrations per target in the unreported warm-up round (default devices/2)
        --concurrency C      registrations in flight (default 64)
        --connections K      HTTPS keep-alive connections (default 64)
        --client-threads T   event loops of the load generator (default 1)
        --rounds R           measured rounds per target, run alternately (default 3)
        --rate R             fixed rate in registrations/s instead of as fast as possible
        --half-rate          measure the maximum first, then run R rounds at half the median maximum
        --target T           gateway, bare or both (default both)
      """;

  BenchOptions {
    positive("--devices", devices);
    positive("--concurrency", concurrency);
    positive("--connections", connections);
    positive("--client-threads", clientThreads);
    positive("--rounds", rounds);
    if (warmupDevices < 0 || rate < 0) {
      throw new IllegalArgumentException("--warmup and --rate must not be negative");
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
    Integer warmup = null;
    int concurrency = 64;
    int connections = 64;
    int clientThreads = 1;
    int rounds = 3;
    double rate = 0;
    boolean halfRate = false;
    List<Target> targets = List.of(Target.GATEWAY, Target.BARE);
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--half-rate")) {
        halfRate = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--devices" -> devices = Integer.parseInt(value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--connections" -> connections = Integer.parseInt(value);
        case "--client-threads" -> clientThreads = Integer.parseInt(value);
        case "--rounds" -> rounds = Integer.parseInt(value);
        case "--rate" -> rate = Double.parseDouble(value);
        case "--target" -> targets = targets(value);
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    return new BenchOptions(devices, warmup == null ? devices / 2 : warmup, concurrency, connections, clientThreads,
        rounds, rate, halfRate, targets);
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
