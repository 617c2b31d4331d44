package io.onramp.bench.mqtt;

import io.onramp.bench.Directories;

import io.onramp.bench.MachineInfo;
import io.onramp.bench.mqtt.Measurement.Metric;
import io.onramp.certs.ca.LocalPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Onramp's embedded hub broker beside Mosquitto: both as their own processes on this machine,
 * loaded by the same lean client in this JVM, in alternating rounds; the figures are medians.
 * Telemetry delivered to one consumer at QoS 0 and 1, CONNECT/CONNACK per second, and memory per
 * idle connection, plaintext and TLS. Run by {@code bench/run-mqtt.sh}; never part of the build.
 */
public final class MqttBench {

    private static final long RAMP_MILLIS = 2_000;
    private static final long PAUSE_MILLIS = 1_000;

    private final MqttBenchOptions options;
    private final MqttReport report = new MqttReport(System.out);

    private MqttBench(MqttBenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(MqttBenchOptions.USAGE);
            return;
        }
        MqttBenchOptions options;
        try {
            options = MqttBenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(MqttBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("onramp-mqtt-bench");
        try {
            new MqttBench(options).run(work);
        } finally {
            deleteQuietly(work);
        }
        System.exit(0);
    }

    private void run(Path work) throws Exception {
        LocalPki.Files pki = LocalPki.ensure(work.resolve("tls"), List.of(OnrampTarget.HOST, MosquittoTarget.HOST),
                Clock.systemUTC());
        Map<String, String> brokers = new LinkedHashMap<>();
        brokers.put(MqttBenchOptions.ONRAMP, options.jar().getFileName().toString());
        brokers.put(MqttBenchOptions.MOSQUITTO, MosquittoTarget.version());
        report.context("Onramp MQTT bench: " + brokers.values().stream().reduce((a, b) -> a + " vs " + b).orElseThrow(),
                MachineInfo.describe(), brokers, options);
        report.line(String.format(Locale.ROOT, "load: %d publishers of %d-byte telemetry (QoS 1 window %d), one consumer on"
                        + " %s; %d connect lanes; %,d idle connections; %d rounds of %d s windows, %d client thread(s)",
                options.publishers(), options.payloadBytes(), options.window(), TelemetryScenario.CONSUMER_FILTER,
                options.lanes(), options.idle(), options.rounds(), options.seconds(), options.clientThreads()));
        List<MqttTarget> targets = new CopyOnWriteArrayList<>();
        List<MqttTarget> others = new CopyOnWriteArrayList<>();
        // Stopped from outside (Ctrl-C, timeout), the brokers must not outlive the bench.
        Thread stopBrokers = new Thread(() -> {
            targets.forEach(MqttTarget::close);
            others.forEach(MqttTarget::close);
            deleteQuietly(work);
        }, "mqtt-bench-stop-brokers");
        Runtime.getRuntime().addShutdownHook(stopBrokers);
        try (MqttLoadClient client = new MqttLoadClient(options.clientThreads(), pki.caCertificate().toFile())) {
            start(work, pki, targets, others);
            for (MqttTarget target : targets) {
                target.prepareDevices(options.devices());
            }
            TelemetryScenario telemetry = new TelemetryScenario(client, options.publishers(), options.window(),
                    options.payloadBytes());
            ConnectScenario connects = new ConnectScenario(client, options.lanes());
            report.header();
            if (options.warmupSeconds() > 0) {
                for (MqttTarget target : targets) {
                    measureAll(target, telemetry, connects, 0, options.warmupSeconds() * 1000L);
                }
            }
            for (int round = 1; round <= options.rounds(); round++) {
                // Who goes first alternates, so neither always runs on a warmer (or more tired) machine.
                List<MqttTarget> order = new ArrayList<>(targets);
                if (round % 2 == 0) {
                    Collections.reverse(order);
                }
                for (MqttTarget target : order) {
                    measureAll(target, telemetry, connects, round, options.seconds() * 1000L);
                }
            }
            if (options.idle() > 0) {
                IdleScenario idle = new IdleScenario(client, options.idle());
                for (MqttTarget target : targets) {
                    report.memory(idle.run(target, false));
                    report.memory(idle.run(target, true));
                }
            }
        } finally {
            targets.forEach(MqttTarget::close);
            others.forEach(MqttTarget::close);
            try {
                Runtime.getRuntime().removeShutdownHook(stopBrokers);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will: it stops the brokers too
            }
        }
        report.summary(options.json());
    }

    /** Starts the brokers measured, in {@code targets}; a Mosquitto only forwarded to is in {@code others}. */
    private void start(Path work, LocalPki.Files pki, List<MqttTarget> targets, List<MqttTarget> others)
            throws Exception {
        MosquittoTarget mosquitto = null;
        if (options.includes(MqttBenchOptions.MOSQUITTO) || options.includes(MqttBenchOptions.ONRAMP_UPSTREAM)) {
            mosquitto = new MosquittoTarget(work, pki);
            (options.includes(MqttBenchOptions.MOSQUITTO) ? targets : others).add(mosquitto);
        }
        if (options.includes(MqttBenchOptions.ONRAMP)) {
            targets.add(new OnrampTarget(work, pki, options.jar(), options.onrampJvm(), log("onramp", work), null));
        }
        if (options.includes(MqttBenchOptions.ONRAMP_UPSTREAM)) {
            targets.add(new OnrampTarget(work, pki, options.jar(), options.onrampJvm(), log("onramp-upstream", work),
                    mosquitto));
        }
    }

    private Path log(String name, Path work) {
        Path log = Files.isDirectory(Path.of("bench/target")) ? Path.of("bench/target/mqtt-bench-" + name + ".log")
                : work.resolve(name + ".log");
        report.line(name + " log: " + log);
        return log;
    }

    private void measureAll(MqttTarget target, TelemetryScenario telemetry, ConnectScenario connects, int round,
            long measureMillis) throws Exception {
        for (Metric figure : List.of(Metric.QOS0, Metric.QOS0_PACED, Metric.QOS1, Metric.QOS1_PACED)) {
            if (options.measures(figure)) {
                pause();
                report.add(telemetry.run(target, figure, round, RAMP_MILLIS, measureMillis));
            }
        }
        if (options.measures(Metric.AMQP) && target.amqpPort() > 0) {
            pause();
            report.add(telemetry.run(target, Metric.AMQP, round, RAMP_MILLIS, measureMillis));
        }
        for (Metric figure : List.of(Metric.CONNECT, Metric.CONNECT_TLS)) {
            if (options.measures(figure)) {
                pause();
                report.add(connects.run(target, figure == Metric.CONNECT_TLS, round, RAMP_MILLIS, measureMillis));
            }
        }
    }

    /**
     * The client's own garbage collected and the machine left to calm down, so that one figure's
     * leftovers (or somebody else's build) stay out of the next.
     */
    private void pause() throws Exception {
        System.gc();
        Thread.sleep(PAUSE_MILLIS);
        long waited = QuietMachine.await();
        if (waited > 5_000) {
            report.line(String.format(Locale.ROOT, "         (waited %.0f s for a quiet machine)", waited / 1000.0));
        }
    }

    /** The work directory (configs, keys, Onramp's store): gone at the end, however the bench ends. */
    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteTree(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            // already gone, or being deleted by the other path out
        }
    }
}
