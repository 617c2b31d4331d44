package io.onramp.bench.x509;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Options of the X.509 bench, parsed from the command line once.
 *
 * @param devices        devices per round and target, each with its own certificate and a fresh handshake
 * @param rounds         alternating rounds over the targets
 * @param warmupDevices  devices per target before the rounds, not reported
 * @param concurrency    devices in flight at once
 * @param clientThreads  event-loop threads of the load client
 * @param targets        what is measured, in round order (flipped every round)
 * @param opensslProcesses {@code openssl s_server} processes (it serves one connection at a time)
 */
record X509BenchOptions(int devices, int rounds, int warmupDevices, int concurrency, int clientThreads,
        List<X509Target> targets, int opensslProcesses) {

    static final String USAGE = """
            usage: bench/run-x509.sh [options]
              --devices N            devices per round and target (default 3000)
              --rounds R             alternating rounds (default 3)
              --warmup-devices N     devices per target before the rounds, not reported (default 3000)
              --concurrency C        devices in flight (default 128)
              --client-threads T     load client event loops (default 1)
              --targets LIST         comma-separated, of: gateway-openssl, gateway-jdk, openssl-s_server
                                     (default all three)
              --openssl-processes P  openssl s_server processes, one port each (default 2 per core)
            """;

    static X509BenchOptions parse(String[] args) {
        int cores = Runtime.getRuntime().availableProcessors();
        int devices = 3000;
        int rounds = 3;
        int warmup = 3000;
        int concurrency = 128;
        int clientThreads = 1;
        List<X509Target> targets = List.of(X509Target.values());
        int processes = 2 * cores;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--devices" -> devices = positive(name, value);
                case "--rounds" -> rounds = positive(name, value);
                case "--warmup-devices" -> warmup = Integer.parseInt(value);
                case "--concurrency" -> concurrency = positive(name, value);
                case "--client-threads" -> clientThreads = positive(name, value);
                case "--openssl-processes" -> processes = positive(name, value);
                case "--targets" -> {
                    List<X509Target> chosen = new ArrayList<>();
                    for (String label : value.split(",")) {
                        chosen.add(X509Target.fromLabel(label.trim()));
                    }
                    targets = List.copyOf(chosen);
                }
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new X509BenchOptions(devices, rounds, Math.max(0, warmup), concurrency, clientThreads, targets, processes);
    }

    private static int positive(String name, String value) {
        int parsed = Integer.parseInt(value);
        if (parsed <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return parsed;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%d devices x %d rounds (warm-up %d), %d in flight, %d client thread(s), "
                + "targets %s, %d s_server process(es)", devices, rounds, warmupDevices, concurrency, clientThreads,
                targets.stream().map(X509Target::label).toList(), opensslProcesses);
    }
}
