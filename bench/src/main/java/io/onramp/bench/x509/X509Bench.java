package io.onramp.bench.x509;

import io.onramp.bench.Directories;

import io.onramp.bench.MachineInfo;
import io.onramp.bench.x509.DeviceFactory.Device;
import io.onramp.certs.ca.LocalPki;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * X.509 registrations per second with a fresh mutual-TLS handshake per device, beside
 * {@code openssl s_server}'s bare handshakes on the same machine with the same load client. The
 * gateways (BoringSSL and JDK engines) run in this JVM, as in the provisioning bench; s_server in
 * its own processes. Rounds alternate over the targets, the order flipping every round; devices
 * (distinct ECDSA P-256 keys and certificates under one intermediate) are made before each round.
 * Prints every round, the medians beside the targets of issue 5, and writes JSON. No asserts.
 */
public final class X509Bench {

    static final double TARGET_REGISTRATIONS_PER_SECOND = 1_000;
    static final String GATEWAY_OPENSSL_ADDRESS = "127.0.0.90";
    static final String GATEWAY_JDK_ADDRESS = "127.0.0.91";
    static final String OPENSSL_ADDRESS = "127.0.0.92";

    private final X509BenchOptions options;
    private final Path reportDir;
    private final Map<X509Target, List<X509Round>> rounds = new EnumMap<>(X509Target.class);
    private final Map<X509Target, X509Gateway> gateways = new EnumMap<>(X509Target.class);
    private final Map<X509Target, Long> attempted = new EnumMap<>(X509Target.class);
    private OpensslServers openssl;
    private DeviceFactory factory;
    private X509LoadClient client;
    private X509Certificate serverCertificate;

    private X509Bench(X509BenchOptions options, Path reportDir) {
        this.options = options;
        this.reportDir = reportDir;
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(X509BenchOptions.USAGE);
            return;
        }
        X509BenchOptions options;
        try {
            options = X509BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(X509BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        Path work = Files.createTempDirectory("onramp-x509-bench");
        Path reportDir = Path.of(System.getProperty("onramp.bench.reportDir", "bench/target"));
        X509Bench bench = new X509Bench(options, reportDir);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::closeServers, "x509-bench-stop"));
        try {
            bench.run(work);
        } finally {
            bench.closeAll();
            Directories.deleteTree(work);
        }
        System.exit(0);
    }

    private void run(Path work) throws Exception {
        say("Onramp X.509 registration bench: " + options);
        MachineInfo.describe().forEach(X509Bench::say);
        say("load avg:  " + CpuSample.loadAverage() + " (1, 5, 15 min) at start");
        startAll(work);
        warmUp();
        say("");
        say(X509Round.header());
        for (int round = 1; round <= options.rounds(); round++) {
            List<X509Target> order = new ArrayList<>(options.targets());
            if (round % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            for (X509Target target : order) {
                X509Round result = measure("round " + round, target, options.devices());
                rounds.computeIfAbsent(target, t -> new ArrayList<>()).add(result);
                say(result.line());
                result.errors().forEach((kind, count) -> say("    error " + kind + " x" + count + ", e.g. "
                        + result.examples().get(kind)));
            }
        }
        summary();
    }

    private void startAll(Path work) throws Exception {
        Path tls = work.resolve("tls");
        LocalPki.Files files = LocalPki.ensure(tls, List.of(GATEWAY_OPENSSL_ADDRESS, GATEWAY_JDK_ADDRESS,
                OPENSSL_ADDRESS), Clock.systemUTC());
        List<X509Certificate> chain = PemReader.readCertificates(files.serverCertificateChain());
        serverCertificate = chain.get(0);
        say(String.format(Locale.ROOT, "server:    %s key, %s, chain of %d", describeKey(serverCertificate),
                serverCertificate.getSigAlgName(), chain.size()));
        factory = new DeviceFactory("x509b-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Path root = work.resolve("device-root.pem");
        PemWriter.write(root, PemWriter.toPem(factory.root()), false);
        say("devices:   ECDSA P-256 keys, certificates signed by an intermediate (sent with the leaf) under the "
                + "enrollment group's root");
        for (X509Target target : options.targets()) {
            switch (target) {
                case GATEWAY_OPENSSL -> gateways.put(target, X509Gateway.start("openssl", GATEWAY_OPENSSL_ADDRESS,
                        work.resolve("gateway-openssl"), files.serverCertificateChain(), files.serverPrivateKey(),
                        factory.root()));
                case GATEWAY_JDK -> gateways.put(target, X509Gateway.start("jdk", GATEWAY_JDK_ADDRESS,
                        work.resolve("gateway-jdk"), files.serverCertificateChain(), files.serverPrivateKey(),
                        factory.root()));
                case OPENSSL_S_SERVER -> {
                    Path leaf = work.resolve("server-leaf.pem");
                    PemWriter.write(leaf, PemWriter.toPem(serverCertificate), false);
                    Files.createDirectories(reportDir);
                    openssl = OpensslServers.start(options.opensslProcesses(), OPENSSL_ADDRESS, leaf,
                            files.caCertificate(), files.serverPrivateKey(), root,
                            reportDir.resolve("x509-bench-s_server.log"));
                }
                default -> throw new IllegalStateException(target.toString());
            }
        }
        gateways.forEach((target, gateway) -> say(String.format(Locale.ROOT, "%-17s https://%s:%d, TLS engine %s",
                target.label(), gateway.address(), gateway.port(), gateway.engine())));
        if (openssl != null) {
            say(String.format(Locale.ROOT, "%-17s %s, %d process(es) on %s, -Verify 2 -rev", "openssl-s_server",
                    openssl.version(), openssl.endpoints().size(), OPENSSL_ADDRESS));
        }
        client = new X509LoadClient(options.clientThreads(), serverCertificate);
    }

    private void warmUp() throws Exception {
        if (options.warmupDevices() == 0) {
            return;
        }
        for (X509Target target : options.targets()) {
            X509Round warm = measure("warm-up", target, options.warmupDevices());
            say(String.format(Locale.ROOT, "warm-up %-17s %6.0f/s, %d errors", target.label(), warm.perSecond(),
                    warm.errorCount()));
        }
    }

    private X509Round measure(String label, X509Target target, int count) throws Exception {
        Device[] devices = factory.devices(count);
        System.gc();
        QuietMachine.await(pids());
        List<InetSocketAddress> endpoints;
        String idScope;
        String host;
        if (target.registers()) {
            X509Gateway gateway = gateways.get(target);
            endpoints = List.of(new InetSocketAddress(gateway.address(), gateway.port()));
            idScope = X509Gateway.ID_SCOPE;
            host = gateway.address();
        } else {
            endpoints = openssl.endpoints();
            idScope = null;
            host = OPENSSL_ADDRESS;
        }
        String load = CpuSample.loadAverage();
        CpuSample before = CpuSample.take(pids());
        X509LoadClient.Outcome outcome = client.run(devices, endpoints, host, idScope, options.concurrency())
                .get(30, TimeUnit.MINUTES);
        CpuSample after = CpuSample.take(pids());
        attempted.merge(target, (long) count, Long::sum);
        Histogram latency = outcome.latency().getIntervalHistogram();
        return new X509Round(label, target, count, outcome.completed(), outcome.nanos() / 1e9, latency,
                outcome.errors(), outcome.examples(), before.coresUntil(after), load);
    }

    private List<Long> pids() {
        return openssl == null ? List.of() : openssl.pids();
    }

    private void summary() throws Exception {
        say("");
        say("medians of " + options.rounds() + " rounds:");
        Map<X509Target, Double> medians = new EnumMap<>(X509Target.class);
        JsonObject mediansJson = new JsonObject();
        for (X509Target target : options.targets()) {
            List<X509Round> list = rounds.getOrDefault(target, List.of());
            double rate = median(list.stream().mapToDouble(X509Round::perSecond).toArray());
            double perCore = median(list.stream().mapToDouble(X509Round::perServerCoreSecond).toArray());
            double p50 = median(list.stream().mapToDouble(r -> r.millis(50)).toArray());
            double p99 = median(list.stream().mapToDouble(r -> r.millis(99)).toArray());
            double serverCores = median(list.stream().mapToDouble(X509Round::serverCores).toArray());
            long errors = list.stream().mapToLong(X509Round::errorCount).sum();
            medians.put(target, rate);
            String unit = target.registers() ? "registrations/s" : "handshakes/s";
            say(String.format(Locale.ROOT, "  %-17s %7.0f %-16s p50 %6.2f ms  p99 %6.2f ms  server %.2f cores, "
                    + "%5.0f per server core-second, errors %d", target.label(), rate, unit, p50, p99, serverCores,
                    perCore, errors));
            mediansJson.put(target.label(), new JsonObject().put("perSecond", rate).put("unit", unit)
                    .put("p50Millis", p50).put("p99Millis", p99).put("serverCores", serverCores)
                    .put("perServerCoreSecond", perCore).put("errors", errors));
        }
        JsonObject verdicts = new JsonObject();
        Double gatewayRate = medians.get(X509Target.GATEWAY_OPENSSL);
        Double jdkRate = medians.get(X509Target.GATEWAY_JDK);
        Double opensslRate = medians.get(X509Target.OPENSSL_S_SERVER);
        Double bestGateway = gatewayRate == null ? jdkRate : jdkRate == null ? gatewayRate : Math.max(gatewayRate, jdkRate);
        say("targets (issue 5):");
        if (bestGateway != null) {
            boolean met = bestGateway >= TARGET_REGISTRATIONS_PER_SECOND;
            say(String.format(Locale.ROOT, "  >= %,.0f X.509 registrations/s: %,.0f  %s", TARGET_REGISTRATIONS_PER_SECOND,
                    bestGateway, met ? "met" : "NOT met"));
            verdicts.put("registrationsPerSecond", new JsonObject().put("target", TARGET_REGISTRATIONS_PER_SECOND)
                    .put("measured", bestGateway).put("met", met));
            if (opensslRate != null) {
                boolean atLeast = bestGateway >= opensslRate;
                say(String.format(Locale.ROOT, "  registrations/s >= s_server bare handshakes/s (%,.0f): %,.0f = %.0f %%  %s",
                        opensslRate, bestGateway, 100 * bestGateway / opensslRate, atLeast ? "met" : "NOT met"));
                verdicts.put("atLeastOpenssl", new JsonObject().put("openssl", opensslRate).put("gateway", bestGateway)
                        .put("met", atLeast));
            }
        }
        if (gatewayRate != null && jdkRate != null) {
            say(String.format(Locale.ROOT, "  engines: BoringSSL %,.0f/s, JDK %,.0f/s (x%.2f)", gatewayRate, jdkRate,
                    gatewayRate / jdkRate));
        }
        JsonObject stored = new JsonObject();
        for (Map.Entry<X509Target, X509Gateway> entry : gateways.entrySet()) {
            long devices = entry.getValue().storedDevices();
            stored.put(entry.getKey().label(), new JsonObject().put("stored", devices)
                    .put("attempted", attempted.getOrDefault(entry.getKey(), 0L)));
            say(String.format(Locale.ROOT, "  %s stored %,d devices of %,d attempted (warm-up included)",
                    entry.getKey().label(), devices, attempted.getOrDefault(entry.getKey(), 0L)));
        }
        say("load avg:  " + CpuSample.loadAverage() + " (1, 5, 15 min) at the end");
        writeJson(mediansJson, verdicts, stored);
    }

    private void writeJson(JsonObject medians, JsonObject verdicts, JsonObject stored) throws IOException {
        JsonArray all = new JsonArray();
        rounds.values().stream().flatMap(List::stream).sorted(Comparator.comparing(X509Round::round))
                .forEach(r -> all.add(r.json()));
        JsonObject machine = new JsonObject().put("description", new JsonArray(MachineInfo.describe()))
                .put("cores", Runtime.getRuntime().availableProcessors())
                .put("loadAverageAtEnd", CpuSample.loadAverage());
        JsonObject setup = new JsonObject().put("options", options.toString())
                .put("serverKey", describeKey(serverCertificate));
        gateways.forEach((target, gateway) -> setup.put(target.label(), gateway.engine()));
        if (openssl != null) {
            setup.put("openssl", openssl.version()).put("opensslProcesses", openssl.endpoints().size());
        }
        JsonObject json = new JsonObject().put("bench", "x509").put("finished", Instant.now().toString())
                .put("machine", machine).put("setup", setup).put("rounds", all).put("medians", medians)
                .put("verdicts", verdicts).put("storedDevices", stored);
        Files.createDirectories(reportDir);
        Path file = reportDir.resolve("x509-bench.json");
        Files.writeString(file, json.encodePrettily());
        say("report:    " + file);
    }

    private static String describeKey(X509Certificate certificate) {
        var key = certificate.getPublicKey();
        if (key instanceof java.security.interfaces.ECPublicKey ec) {
            return "EC " + ec.getParams().getCurve().getField().getFieldSize() + "-bit (P-256 when 256)";
        }
        return key.getAlgorithm();
    }

    private static double median(double[] values) {
        double[] sorted = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private void closeServers() {
        OpensslServers servers = openssl;
        if (servers != null) {
            servers.close();
        }
    }

    private void closeAll() {
        if (client != null) {
            client.close();
        }
        closeServers();
        for (X509Gateway gateway : gateways.values()) {
            try {
                gateway.close();
            } catch (Exception e) {
                System.err.println("gateway stop: " + e);
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
