package io.onramp.bench.tpm;

import io.onramp.bench.MachineInfo;
import io.onramp.bench.ThreadCpu;
import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * TPM registrations per second against the real gateway over keep-alive HTTPS (issue 6). In one JVM: the gateway
 * ({@code Gateway.start}, config through the real loader, H2 in a temporary directory, HTTPS on 127.0.0.130, one
 * individual TPM enrollment per device, one hub) and a load generator whose devices hold their EK and SRK private
 * keys ({@link SoftwareTpm}).
 *
 * <p>The measured rounds are phased, so that the figure is the server's: every device asks for its challenge
 * (register with EK and SRK, no token: 401 and an {@code authenticationKey}), then the devices' TPM work is done
 * off the clock on every core (activation in software, token signing: a fleet does it on its own chips), then every
 * device registers signed with the recovered key (202) and polls until assigned. Registrations per second =
 * devices / (challenge phase + register phase). End-to-end rounds, where each device runs the three steps in a row
 * with its activation on the client's event loop, give the figure with the devices' RSA work sharing the cores.
 * The first warm-up pass registers every device; later passes and the rounds re-register them (a new challenge
 * and identity key each time, the record rewritten), since RSA-2048 key generation would dominate the bench
 * otherwise. Measures; asserts nothing.
 *
 * <p>Options: {@code --devices N} per round (2000), {@code --rounds N} (3), {@code --warmup-passes N} (10, a
 * minimum), {@code --end-to-end-rounds N} (1), {@code --concurrency N} (64), {@code --connections N} (32),
 * {@code --client-threads N} (cores), {@code --work-dir DIR}, {@code --json FILE} (bench/target/tpm-bench.json),
 * {@code --keys FILE} (bench/target/tpm-bench.keys: the devices' RSA keys, kept for the next run).
 */
public final class TpmRegistrationBench {

    static final String ADDRESS = "127.0.0.130";
    static final String ID_SCOPE = "0ne0000TPM6";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    record Options(int devices, int rounds, int warmupPasses, int endToEndRounds, int concurrency, int connections,
            int clientThreads, Path workDir, Path json, Path keys) {
        static Options parse(String... args) {
            Map<String, String> given = new TreeMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--help")) {
                    throw new IllegalArgumentException("options: --devices 2000 --rounds 3 --warmup-passes 10"
                            + " --end-to-end-rounds 1 --concurrency 64 --connections 32 --client-threads <cores>"
                            + " --work-dir DIR --json bench/target/tpm-bench.json --keys bench/target/tpm-bench.keys");
                }
                if (!args[i].startsWith("--") || i + 1 == args.length) {
                    throw new IllegalArgumentException("expected --name value, got " + args[i]);
                }
                given.put(args[i].substring(2), args[++i]);
            }
            Options options = new Options(integer(given, "devices", 2000), integer(given, "rounds", 3),
                    integer(given, "warmup-passes", 10), integer(given, "end-to-end-rounds", 1),
                    integer(given, "concurrency", 64),
                    integer(given, "connections", 32),
                    integer(given, "client-threads", Runtime.getRuntime().availableProcessors()),
                    given.containsKey("work-dir") ? Path.of(given.remove("work-dir")) : null,
                    Path.of(given.getOrDefault("json", "bench/target/tpm-bench.json")),
                    Path.of(given.getOrDefault("keys", "bench/target/tpm-bench.keys")));
            given.remove("json");
            given.remove("keys");
            if (!given.isEmpty()) {
                throw new IllegalArgumentException("unknown options: " + given.keySet());
            }
            return options;
        }

        private static int integer(Map<String, String> given, String name, int otherwise) {
            String value = given.remove(name);
            int parsed = value == null ? otherwise : Integer.parseInt(value);
            if (parsed < (name.equals("warmup-passes") || name.equals("end-to-end-rounds") ? 0 : 1)) {
                throw new IllegalArgumentException("--" + name + " " + parsed);
            }
            return parsed;
        }
    }

    record Round(String label, long devices, long succeeded, long requests, double seconds, Histogram latency,
            long gatewayCpuNanos, long clientCpuNanos, Map<String, Long> cpuByThread, Map<String, Long> errors,
            Map<String, String> examples, String load) {
        double rate() {
            return succeeded / seconds;
        }

        double gatewayMicrosPerItem() {
            return gatewayCpuNanos / 1e3 / Math.max(1, succeeded);
        }

        JsonObject json() {
            return new JsonObject().put("label", label).put("devices", devices).put("succeeded", succeeded)
                    .put("requests", requests).put("seconds", seconds).put("perSecond", rate())
                    .put("p50Ms", latency.getValueAtPercentile(50) / 1e3)
                    .put("p99Ms", latency.getValueAtPercentile(99) / 1e3).put("maxMs", latency.getMaxValue() / 1e3)
                    .put("gatewayCpuMicrosPerItem", gatewayMicrosPerItem())
                    .put("clientCpuMicrosPerItem", clientCpuNanos / 1e3 / Math.max(1, succeeded))
                    .put("cpuMicrosPerItemByThread", new JsonObject(cpuByThread.entrySet().stream().collect(
                            Collectors.toMap(Map.Entry::getKey,
                                    e -> (Object) (e.getValue() / 1e3 / Math.max(1, succeeded))))))
                    .put("errors", new JsonObject(new TreeMap<>(errors))).put("errorExamples",
                            new JsonObject(new TreeMap<>(examples))).put("loadAverage", load);
        }

        String line() {
            return String.format("%-14s %,6d/%,d ok in %5.2f s: %,7.0f/s  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms"
                            + "  gateway %,5.0f µs CPU each, client %,5.0f µs  errors %s  load %s", label, succeeded,
                    devices, seconds, rate(), latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3, gatewayMicrosPerItem(),
                    clientCpuNanos / 1e3 / Math.max(1, succeeded), errors.isEmpty() ? "none" : errors + " " + examples,
                    load) + "\n  CPU per item by thread: " + ThreadCpu.describe(cpuByThread, 8, succeeded);
        }
    }

    /** A measured round in phases: challenges, the devices' activation off the clock, signed registers. */
    record Phased(String label, Round challenge, double activationSeconds, int activationFailures, Round register,
            long jitMillis) {
        double rate() {
            return register.succeeded() / (challenge.seconds() + register.seconds());
        }

        double gatewayMicrosPerRegistration() {
            return (challenge.gatewayCpuNanos() + register.gatewayCpuNanos()) / 1e3
                    / Math.max(1, register.succeeded());
        }

        JsonObject json() {
            return new JsonObject().put("label", label).put("perSecond", rate())
                    .put("gatewayCpuMicrosPerRegistration", gatewayMicrosPerRegistration())
                    .put("challengePhase", challenge.json()).put("activationSeconds", activationSeconds)
                    .put("activationFailures", activationFailures).put("registerPhase", register.json())
                    .put("jitMillis", jitMillis);
        }

        String line() {
            return String.format("%-14s %,7.0f registrations/s (%,d in %.2f + %.2f s), gateway %,5.0f µs CPU each;"
                            + " activation off the clock %.1f s, %d failed; JIT compiling %,d ms%n  %s%n  %s", label,
                    rate(), register.succeeded(), challenge.seconds(), register.seconds(),
                    gatewayMicrosPerRegistration(), activationSeconds, activationFailures, jitMillis,
                    challenge.line().replace("\n", "\n  "), register.line().replace("\n", "\n  "));
        }
    }

    private TpmRegistrationBench() {}

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        MachineInfo.describe().forEach(System.out::println);
        System.out.println("load:      " + MachineInfo.loadAverage() + " (1, 5, 15 min)");

        int total = options.devices();
        long keysStart = System.nanoTime();
        TpmDevices devices = TpmDevices.cached(options.keys(), total);
        System.out.printf("keys:      %,d RSA-2048 EKs (one shared SRK) read or made in %.1f s, before measuring"
                + " (%s)%n", total, (System.nanoTime() - keysStart) / 1e9, options.keys());

        Path dataDir = options.workDir() != null ? Files.createDirectories(options.workDir())
                : Files.createTempDirectory("onramp-tpm-bench");
        Gateway gateway = Gateway.start(config(dataDir, freePort(), devices)).toCompletionStage()
                .toCompletableFuture().get(300, TimeUnit.SECONDS);
        Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.clientThreads())
                .setPreferNativeTransport(true));
        try {
            List<TpmLane> lanes = lanes(clientVertx, gateway.tls().caCertificate(), options);
            System.out.printf("gateway:   https://%s:%d, %,d individual TPM enrollments; client: %d threads, %d"
                            + " connections, %d devices in flight%n", ADDRESS, gateway.httpsPort(), total,
                    options.clientThreads(), options.connections(), options.concurrency());

            // The first pass registers every device (a new device written each time); later passes and the
            // rounds re-register them, as after a reboot: a new challenge, a new identity key, the record rewritten.
            // The JIT takes 30,000 to 50,000 registrations to settle on 2 shared cores (the rate doubled between
            // passes 8 and 15 of 2,000): at least --warmup-passes, then until a pass is no faster than the best
            // before it and the JIT compiled for less than a twentieth of it, never past four times the minimum.
            Phased warmup = null;
            double best = 0;
            for (int pass = 1; pass <= 4 * options.warmupPasses(); pass++) {
                warmup = phased("warm-up " + pass, gateway, lanes, devices, options);
                System.out.println(warmup.line());
                double passMillis = (warmup.challenge().seconds() + warmup.register().seconds()) * 1e3;
                if (pass >= options.warmupPasses() && warmup.rate() <= best * 1.05
                        && warmup.jitMillis() < passMillis / 20) {
                    break;
                }
                best = Math.max(best, warmup.rate());
            }
            List<Phased> rounds = new ArrayList<>();
            for (int r = 0; r < options.rounds(); r++) {
                Phased round = phased("round " + (r + 1), gateway, lanes, devices, options);
                rounds.add(round);
                System.out.println(round.line());
            }
            List<Round> endToEnd = new ArrayList<>();
            for (int r = 0; r < options.endToEndRounds(); r++) {
                Round round = round("end to end " + (r + 1), gateway, lanes, devices, options, TpmLane.Step.WHOLE,
                        null);
                endToEnd.add(round);
                System.out.println(round.line());
            }
            long stored = gateway.deviceRegistry().countByHub().toCompletionStage().toCompletableFuture()
                    .get(60, TimeUnit.SECONDS).values().stream().mapToLong(Long::longValue).sum();
            JsonObject summary = summary(rounds, endToEnd, stored);
            System.out.printf("median:    %,.0f TPM registrations/s (target 2,500), gateway %,.0f µs CPU per"
                            + " registration, %,.0f µs per challenge; signed register to assigned p50 %.1f ms, p99"
                            + " %.1f ms; end to end with the activations on the same cores %,.0f/s; %,d devices"
                            + " stored%n", summary.getDouble("perSecond"),
                    summary.getDouble("gatewayCpuMicrosPerRegistration"),
                    summary.getDouble("serverCpuMicrosPerChallenge"), summary.getDouble("registerP50Ms"),
                    summary.getDouble("registerP99Ms"), summary.getDouble("endToEndPerSecond"), stored);
            System.out.println("load:      " + MachineInfo.loadAverage() + " (1, 5, 15 min)");

            JsonObject report = new JsonObject().put("machine", new JsonArray(new ArrayList<>(MachineInfo.describe())))
                    .put("options", new JsonObject().put("devices", options.devices()).put("rounds", options.rounds())
                            .put("warmupPasses", options.warmupPasses())
                            .put("endToEndRounds", options.endToEndRounds()).put("concurrency", options.concurrency())
                            .put("connections", options.connections()).put("clientThreads", options.clientThreads()))
                    .put("warmup", warmup == null ? null : warmup.json())
                    .put("rounds", new JsonArray(rounds.stream().map(Phased::json).toList()))
                    .put("endToEnd", new JsonArray(endToEnd.stream().map(Round::json).toList()))
                    .put("median", summary).put("target", new JsonObject().put("registrationsPerSecond", 2500));
            Files.createDirectories(options.json().toAbsolutePath().getParent());
            Files.writeString(options.json(), report.encodePrettily());
            System.out.println("report:    " + options.json());
        } finally {
            clientVertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            gateway.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    static JsonObject summary(List<Phased> rounds, List<Round> endToEnd, long stored) {
        return new JsonObject().put("perSecond", median(rounds.stream().mapToDouble(Phased::rate).toArray()))
                .put("gatewayCpuMicrosPerRegistration",
                        median(rounds.stream().mapToDouble(Phased::gatewayMicrosPerRegistration).toArray()))
                .put("serverCpuMicrosPerChallenge",
                        median(rounds.stream().mapToDouble(r -> r.challenge().gatewayMicrosPerItem()).toArray()))
                .put("registerP50Ms", median(rounds.stream()
                        .mapToDouble(r -> r.register().latency().getValueAtPercentile(50) / 1e3).toArray()))
                .put("registerP99Ms", median(rounds.stream()
                        .mapToDouble(r -> r.register().latency().getValueAtPercentile(99) / 1e3).toArray()))
                .put("errors", rounds.stream().mapToLong(r -> r.challenge().devices() - r.register().succeeded())
                        .sum())
                .put("endToEndPerSecond", median(endToEnd.stream().mapToDouble(Round::rate).toArray()))
                .put("devicesStored", stored);
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Phased phased(String label, Gateway gateway, List<TpmLane> lanes, TpmDevices devices,
            Options options) throws Exception {
        long jitBefore = JIT.getTotalCompilationTime();
        Activations activations = new Activations(devices.size());
        Round challenge = round(label + " challenge", gateway, lanes, devices, options, TpmLane.Step.CHALLENGE,
                activations);
        long start = System.nanoTime();
        int failed = activations.activateAll(devices, ID_SCOPE);
        double activationSeconds = (System.nanoTime() - start) / 1e9;
        Round register = round(label + " register", gateway, lanes, devices, options, TpmLane.Step.SIGNED,
                activations);
        return new Phased(label, challenge, activationSeconds, failed, register,
                JIT.getTotalCompilationTime() - jitBefore);
    }

    private static Round round(String label, Gateway gateway, List<TpmLane> lanes, TpmDevices devices,
            Options options, TpmLane.Step step, Activations activations) throws Exception {
        System.gc();
        Thread.sleep(500);
        int count = devices.size();
        String load = MachineInfo.loadAverage();
        long clientCpu = clientCpu(lanes);
        long processCpu = OS.getProcessCpuTime();
        ThreadCpu threads = ThreadCpu.start();
        long start = System.nanoTime();
        int stride = lanes.size();
        List<Future<TpmLane.Result>> results = new ArrayList<>();
        for (int i = 0; i < stride; i++) {
            int inFlight = Math.max(1, options.concurrency() / stride + (i < options.concurrency() % stride ? 1 : 0));
            results.add(lanes.get(i).run(ADDRESS, gateway.httpsPort(), ID_SCOPE, devices, i, stride, inFlight, step,
                    activations));
        }
        Future.all(results).toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        long end = start;
        long succeeded = 0;
        long requests = 0;
        Histogram latency = new Histogram(3);
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> examples = new TreeMap<>();
        for (Future<TpmLane.Result> future : results) {
            TpmLane.Result lane = future.result();
            succeeded += lane.succeeded();
            requests += lane.requests();
            end = Math.max(end, lane.endNanos());
            latency.add(lane.latencyMicros());
            lane.errors().forEach((k, v) -> errors.merge(k, v, Long::sum));
            lane.examples().forEach(examples::putIfAbsent);
        }
        long clientUsed = clientCpu(lanes) - clientCpu;
        long processUsed = OS.getProcessCpuTime() - processCpu;
        long gatewayUsed = processUsed - clientUsed;
        Map<String, Long> byThread = threads.sinceStart();
        return new Round(label, count, succeeded, requests, (end - start) / 1e9, latency, gatewayUsed, clientUsed,
                byThread, errors, examples, load);
    }

    private static long clientCpu(List<TpmLane> lanes) {
        long sum = 0;
        for (TpmLane lane : lanes) {
            sum += Math.max(0, THREADS.getThreadCpuTime(lane.threadId));
        }
        return sum;
    }

    private static List<TpmLane> lanes(Vertx vertx, Path caFile, Options options) throws Exception {
        HttpClientOptions client = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
                .setSslEngineOptions(
                        OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions())
                .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setKeepAliveTimeout(600);
        int threads = options.clientThreads();
        List<TpmLane> lanes = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> {
            int share = Math.max(1, options.connections() / threads
                    + (lanes.size() < options.connections() % threads ? 1 : 0));
            TpmLane lane = new TpmLane(client, share, "tpm-client-" + lanes.size());
            lanes.add(lane);
            return lane;
        }, new DeploymentOptions().setInstances(threads)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        return List.copyOf(lanes);
    }

    /** One individual TPM enrollment per device, read by the real loader. */
    static GatewayConfig config(Path dataDir, int port, TpmDevices devices) {
        StringBuilder yaml = new StringBuilder("""
                idScope: %s
                dataDir: %s
                listen: { address: %s, https: %d, mqtts: -1, amqps: -1 }
                tls: { hostNames: [%s] }
                hubs:
                  - { name: tpm-bench, hostName: 127.0.0.131, ownerKey: YmVuY2gtaHViLXRwbS1vd25lci1rZXktMDAwMDAwMDA= }
                tpm: { challengeTimeoutSeconds: 600, maxPendingChallenges: 1000000 }
                individualEnrollments:
                """.formatted(ID_SCOPE, dataDir, ADDRESS, port, ADDRESS));
        for (int i = 0; i < devices.size(); i++) {
            yaml.append("  - registrationId: ").append(devices.id(i))
                    .append("\n    attestation: { type: tpm, tpm: { endorsementKey: ")
                    .append(devices.tpm(i).endorsementKey()).append(" } }\n");
        }
        return new ConfigLoader(Map.of(), Path.of("")).parse("tpm-bench", yaml.toString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(ADDRESS))) {
            return socket.getLocalPort();
        }
    }
}
