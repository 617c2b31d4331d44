package io.onramp.bench.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.onramp.bench.MachineInfo;
import io.onramp.certs.ca.LocalPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Onramp's MQTT hub beside Mosquitto on the same machine, with the same load client, in
 * alternating rounds; the figures are medians. Both brokers run as their own processes.
 *
 * <pre>
 * bench/run-mqtt.sh [--rounds 3] [--seconds 10] [--publishers 8] [--window 100] [--lanes 16] [--idle 15000]
 * </pre>
 */
public final class MqttBench {

    private MqttBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        long measureMillis = Long.parseLong(options.getOrDefault("seconds", "10")) * 1000;
        int publishers = Integer.parseInt(options.getOrDefault("publishers", "8"));
        int window = Integer.parseInt(options.getOrDefault("window", "100"));
        int lanes = Integer.parseInt(options.getOrDefault("lanes", "16"));
        int idle = Integer.parseInt(options.getOrDefault("idle", "15000"));
        Path jar = Path.of(options.getOrDefault("jar", "gateway/target/onramp-gateway-0.1.0-SNAPSHOT-all.jar"));
        List<String> jvm = options.containsKey("onramp-jvm") ? Arrays.asList(options.get("onramp-jvm").split(" ")) : List.of();

        Path work = Files.createTempDirectory("onramp-mqtt-bench");
        LocalPki.Files pki = LocalPki.ensure(work.resolve("tls"), List.of(OnrampProcess.HOST, Mosquitto.HOST), Clock.systemUTC());
        System.out.println("# MQTT bench: Onramp (" + jar.getFileName() + ") vs " + Mosquitto.version());
        MachineInfo.describe().forEach(line -> System.out.println("# " + line));
        System.out.printf("# %d rounds, %d s windows, %d publishers, QoS 1 window %d, %d connect lanes, %d idle connections%n",
                rounds, measureMillis / 1000, publishers, window, lanes, idle);

        Map<String, List<Double>> results = new LinkedHashMap<>();
        try (MqttLoadClient client = new MqttLoadClient(1, pki.caCertificate().toFile());
                Mosquitto mosquitto = new Mosquitto(work, pki);
                OnrampProcess onramp = new OnrampProcess(work, pki, jar, jvm)) {
            onramp.prepareDevices(Math.max(idle, Math.max(publishers, lanes)));
            Scenarios scenarios = new Scenarios(client);
            List<BrokerUnderTest> brokers = List.of(mosquitto, onramp);
            for (int round = 0; round < rounds; round++) {
                // Alternate who goes first, so neither always runs on a warmer machine.
                List<BrokerUnderTest> order = round % 2 == 0 ? brokers : List.of(onramp, mosquitto);
                for (BrokerUnderTest broker : order) {
                    record(results, broker, "qos0 msg/s", scenarios.throughput(broker, MqttQoS.AT_MOST_ONCE, publishers, window,
                            2000, measureMillis));
                    record(results, broker, "qos1 msg/s", scenarios.throughput(broker, MqttQoS.AT_LEAST_ONCE, publishers, window,
                            2000, measureMillis));
                    record(results, broker, "connect/s", scenarios.connectRate(broker, lanes, 1000, measureMillis));
                }
            }
            if (idle > 0) {
                for (BrokerUnderTest broker : brokers) {
                    record(results, broker, broker.memoryKind() + " B/idle conn", scenarios.memoryPerConnection(broker, idle, false));
                    record(results, broker, broker.memoryKind() + " B/idle TLS conn",
                            scenarios.memoryPerConnection(broker, idle, true));
                }
            }
        }
        report(results);
    }

    private static void record(Map<String, List<Double>> results, BrokerUnderTest broker, String metric, double value) {
        System.out.printf("  %-9s %-22s %,12.0f%n", broker.name(), metric, value);
        results.computeIfAbsent(broker.name() + "|" + metric, k -> new ArrayList<>()).add(value);
    }

    private static void report(Map<String, List<Double>> results) {
        System.out.println();
        System.out.println("# medians                        onramp      mosquitto   ratio   target");
        line(results, "qos0 msg/s", "qos0 msg/s", ">= 1.5x");
        line(results, "qos1 msg/s", "qos1 msg/s", ">= 1.5x");
        line(results, "connect/s", "connect/s", ">= 1.3x");
        line(results, "heap B/idle conn", "RSS B/idle conn", "<= 4096 B heap");
        line(results, "heap B/idle TLS conn", "RSS B/idle TLS conn", "<= 10240 B heap");
    }

    private static void line(Map<String, List<Double>> results, String onrampMetric, String mosquittoMetric, String target) {
        List<Double> ours = results.get("onramp|" + onrampMetric);
        List<Double> theirs = results.get("mosquitto|" + mosquittoMetric);
        if (ours == null || theirs == null) {
            return;
        }
        double a = median(ours);
        double b = median(theirs);
        System.out.printf("  %-24s %,12.0f %,12.0f   %5.2f   %s%n", onrampMetric, a, b, a / b, target);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
