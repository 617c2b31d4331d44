package io.onramp.bench.mqtt;

import io.onramp.bench.mqtt.Measurement.Metric;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Command-line options of {@link MqttBench}; every one has a default. */
record MqttBenchOptions(int rounds, int seconds, int warmupSeconds, int publishers, int window, int payloadBytes,
        int lanes, int idle, int clientThreads, List<String> targets, Set<Metric> figures, Path jar,
        List<String> onrampJvm, Path json) {

    static final String ONRAMP = "onramp";
    static final String MOSQUITTO = "mosquitto";
    /** Onramp whose hub forwards every message upstream to the Mosquitto process; the consumer reads there. */
    static final String ONRAMP_UPSTREAM = "onramp-upstream";

    /** The figures measured in rounds; the memory figures have their own option, --idle. */
    static final Set<Metric> RATES = Collections.unmodifiableSet(EnumSet.of(Metric.QOS0, Metric.QOS0_PACED,
            Metric.QOS1, Metric.QOS1_PACED, Metric.AMQP, Metric.CONNECT, Metric.CONNECT_TLS));

    static final String USAGE = """
            usage: MqttBench [options]       (bench/run-mqtt.sh passes them on)
              --rounds R           measured rounds per broker, run alternately (default 3)
              --seconds S          measuring window of each figure, after a 2 s ramp-up (default 8)
              --warmup-seconds W   unreported pass of every scenario per broker first (default 5; 0: none)
              --publishers P       devices publishing telemetry (default 8)
              --window N           QoS 1 messages in flight per publisher, and paced figures' messages
                                   on their way to the consumer per publisher (default 100)
              --payload B          telemetry payload bytes (default 100)
              --lanes L            concurrent CONNECT/CONNACK lanes (default 64)
              --idle N             idle connections for the memory figures, plain then TLS (default
                                   15000; 0: skip)
              --client-threads T   event loops of the load client (default 1)
              --target T           onramp, mosquitto or both (default both), or a comma-separated list
                                   of onramp, mosquitto, onramp-upstream (Onramp's hub forwarding to
                                   the Mosquitto process through its outbox; the consumer reads at
                                   Mosquitto: the rate a forwarding hub sustains end to end)
              --figures LIST       the rate figures to measure, comma-separated, of qos0, qos0Paced,
                                   qos1, qos1Paced, amqp (Onramp only: devices over AMQP with
                                   TLS, the consumer over MQTT), connect, connectTls (default all)
              --jar FILE           Onramp's shaded jar (default
                                   gateway/target/onramp-gateway-0.1.0-SNAPSHOT-all.jar)
              --onramp-jvm "OPTS"  JVM options for the Onramp process, space-separated (default
                                   -XX:+UseZGC, as ./onramp runs it)
              --json FILE          where the JSON report goes (default bench/target/mqtt-bench.json)
            """;

    MqttBenchOptions {
        positive("--rounds", rounds);
        positive("--seconds", seconds);
        positive("--publishers", publishers);
        positive("--window", window);
        positive("--lanes", lanes);
        positive("--client-threads", clientThreads);
        if (warmupSeconds < 0 || idle < 0 || payloadBytes < 0) {
            throw new IllegalArgumentException("--warmup-seconds, --idle and --payload must not be negative");
        }
        if (window > 65_535) {
            throw new IllegalArgumentException("--window must fit MQTT's packet IDs (at most 65535)");
        }
        if (figures.isEmpty() || !RATES.containsAll(figures)) {
            throw new IllegalArgumentException("--figures takes rate figures: " + keys(RATES));
        }
        targets = List.copyOf(targets);
        figures = Set.copyOf(figures);
        onrampJvm = List.copyOf(onrampJvm);
    }

    boolean measures(Metric figure) {
        return figures.contains(figure);
    }

    boolean includes(String target) {
        return targets.contains(target);
    }

    /** Devices the brokers must know: every idle connection, every publisher, and enough for the connect lanes to rotate. */
    int devices() {
        return Math.max(Math.max(idle, 2_000), Math.max(publishers, lanes));
    }

    static MqttBenchOptions parse(String[] args) {
        int rounds = 3;
        int seconds = 8;
        int warmupSeconds = 5;
        int publishers = 8;
        int window = 100;
        int payloadBytes = 100;
        int lanes = 64;
        int idle = 15_000;
        int clientThreads = 1;
        List<String> targets = List.of(MOSQUITTO, ONRAMP);
        Set<Metric> figures = RATES;
        Path jar = Path.of("gateway/target/onramp-gateway-0.1.0-SNAPSHOT-all.jar");
        List<String> onrampJvm = List.of("-XX:+UseZGC");
        Path json = Path.of("bench/target/mqtt-bench.json");
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            switch (name) {
                case "--rounds" -> rounds = number(args, ++i, name);
                case "--seconds" -> seconds = number(args, ++i, name);
                case "--warmup-seconds" -> warmupSeconds = number(args, ++i, name);
                case "--publishers" -> publishers = number(args, ++i, name);
                case "--window" -> window = number(args, ++i, name);
                case "--payload" -> payloadBytes = number(args, ++i, name);
                case "--lanes" -> lanes = number(args, ++i, name);
                case "--idle" -> idle = number(args, ++i, name);
                case "--client-threads" -> clientThreads = number(args, ++i, name);
                case "--target" -> targets = targets(value(args, ++i, name));
                case "--figures" -> figures = figures(value(args, ++i, name));
                case "--jar" -> jar = Path.of(value(args, ++i, name));
                case "--onramp-jvm" -> onrampJvm = Arrays.stream(value(args, ++i, name).trim().split("\\s+"))
                        .filter(s -> !s.isEmpty()).toList();
                case "--json" -> json = Path.of(value(args, ++i, name));
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        return new MqttBenchOptions(rounds, seconds, warmupSeconds, publishers, window, payloadBytes, lanes, idle,
                clientThreads, targets, figures, jar, onrampJvm, json);
    }

    private static List<String> targets(String value) {
        if (value.equals("both")) {
            return List.of(MOSQUITTO, ONRAMP);
        }
        List<String> targets = Arrays.stream(value.split(",")).map(String::trim).distinct().toList();
        if (targets.isEmpty() || !List.of(ONRAMP, MOSQUITTO, ONRAMP_UPSTREAM).containsAll(targets)) {
            throw new IllegalArgumentException("--target must be onramp, mosquitto, both, or a list of onramp,"
                    + " mosquitto, onramp-upstream");
        }
        return targets;
    }

    private static Set<Metric> figures(String value) {
        Set<Metric> figures = EnumSet.noneOf(Metric.class);
        for (String key : value.split(",")) {
            figures.add(RATES.stream().filter(m -> m.key().equals(key.trim())).findFirst().orElseThrow(
                    () -> new IllegalArgumentException("--figures: no rate figure " + key.trim() + "; " + keys(RATES))));
        }
        return figures;
    }

    private static String keys(Set<Metric> metrics) {
        return String.join(", ", metrics.stream().map(Metric::key).toList());
    }

    private static int number(String[] args, int i, String name) {
        String value = value(args, i, name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a whole number, not " + value);
        }
    }

    private static String value(String[] args, int i, String name) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value after " + name);
        }
        return args[i];
    }

    private static void positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
