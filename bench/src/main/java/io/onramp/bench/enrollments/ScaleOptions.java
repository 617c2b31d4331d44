package io.onramp.bench.enrollments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The enrollment scale bench's options, with their defaults; {@code --help} prints them. */
record ScaleOptions(int enrollments, int small, int sample, int warmup, int reRegistrationRounds, int pageSize,
        int connections, int inFlight, List<String> gatewayJvm, Path jar, Path workDir, boolean help) {

    static final String USAGE = """
            usage: bench/run-enrollments.sh [options]
              --enrollments N      individual enrollments at the large stage (1000000)
              --small N            individual enrollments at the small stage (1000)
              --sample N           registrations per round, a random sample of the stage's enrollments (1000)
              --warmup N           devices registered through a group before anything is measured (10000)
              --rounds N           re-registration rounds of the same sample after its first registration (3)
              --page-size N        x-ms-max-item-count of the query pages (1000, the CLI's)
              --connections N      keep-alive HTTPS connections of the registering devices (16)
              --in-flight N        registrations in progress at once (32)
              --gateway-jvm "..."  JVM options of the gateway process (none: the JVM's defaults)
              --jar FILE           the gateway's shaded jar (set by the script)
              --work-dir DIR       where the data directory and the import files go (a new temporary one)""";

    static ScaleOptions parse(String[] args) {
        int enrollments = 1_000_000;
        int small = 1_000;
        int sample = 1_000;
        int warmup = 10_000;
        int rounds = 3;
        int pageSize = 1_000;
        int connections = 16;
        int inFlight = 32;
        List<String> jvm = new ArrayList<>();
        Path jar = null;
        Path workDir = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help")) {
                help = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--enrollments" -> enrollments = positive(name, value);
                case "--small" -> small = positive(name, value);
                case "--sample" -> sample = positive(name, value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--page-size" -> pageSize = positive(name, value);
                case "--connections" -> connections = positive(name, value);
                case "--in-flight" -> inFlight = positive(name, value);
                case "--gateway-jvm" -> jvm = value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
                case "--jar" -> jar = Path.of(value);
                case "--work-dir" -> workDir = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
            }
        }
        if (!help && small >= enrollments) {
            throw new IllegalArgumentException("--small must be below --enrollments");
        }
        if (!help && jar == null) {
            throw new IllegalArgumentException("--jar is required (bench/run-enrollments.sh sets it)");
        }
        return new ScaleOptions(enrollments, small, sample, warmup, rounds, pageSize, connections, inFlight, List.copyOf(jvm),
                jar, workDir, help);
    }

    private static int positive(String name, String value) {
        int n = Integer.parseInt(value.replace("_", "").replace(",", ""));
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return n;
    }

    String describe() {
        return String.format(Locale.ROOT, "enrollments %,d (small stage %,d), sample %,d, warm-up %,d, re-registration"
                + " rounds %d, page size %d, %d connections, %d in flight, gateway JVM %s", enrollments, small, sample,
                warmup, reRegistrationRounds, pageSize, connections, inFlight, gatewayJvm.isEmpty() ? "defaults" : gatewayJvm);
    }
}
