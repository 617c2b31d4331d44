package io.onramp.bench.enrollments;

import io.onramp.bench.mqtt.Processes;
import io.onramp.certs.sas.SymmetricKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway as operators run it: the shaded jar in its own JVM, with its own data directory and a
 * config made for this bench (HTTPS only, on 127.0.0.100; one hosted hub, 127.0.0.101; one access
 * policy for the service API; one symmetric-key group for the warm-up devices). TLS material is
 * made by the gateway on first start, as it is for an operator who configures none.
 */
final class ScaleGateway implements AutoCloseable {

    static final String HOST = "127.0.0.100";
    static final String HUB = "127.0.0.101";
    static final String ID_SCOPE = "0ne00005CA1";
    static final String POLICY = "provisioningserviceowner";

    private final Path config;
    private final Path dataDir;
    private final int httpsPort;
    private final String policyKey = SymmetricKeys.generate();
    private final String warmupGroupKey = SymmetricKeys.generate();
    private final Path jar;
    private final List<String> jvmOptions;
    private final Path log;
    private volatile Process process;

    ScaleGateway(Path workDir, Path jar, List<String> jvmOptions, Path log) throws Exception {
        this.jar = jar;
        this.jvmOptions = jvmOptions;
        this.log = log;
        dataDir = workDir.resolve("onramp-data");
        httpsPort = Processes.freePort(HOST);
        config = workDir.resolve("onramp-scale.yaml");
        Files.writeString(config, config(dataDir, httpsPort, policyKey, SymmetricKeys.generate(), warmupGroupKey));
        // Stopped from outside (Ctrl-C, timeout), the bench must not leave the gateway running.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "scale-bench-stop-gateway"));
    }

    /** The gateway config; the real loader reads it (see the test), so a format change breaks the bench loudly. */
    static String config(Path dataDir, int httpsPort, String policyKey, String ownerKey, String groupKey) {
        return """
                idScope: %s
                dataDir: %s
                listen: { address: %s, https: %d, mqtts: -1, amqps: -1, mqtt: -1 }
                tls: { hostNames: [%s] }
                accessPolicies:
                  - name: %s
                    primaryKey: %s
                    rights: [ServiceConfig, EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite]
                hubs:
                  - { name: scale, hostName: %s, ownerKey: %s }
                allocation: { policy: hashed }
                enrollmentGroups:
                  - enrollmentGroupId: scale-warmup
                    attestation:
                      type: symmetricKey
                      symmetricKey: { primaryKey: %s }
                """.formatted(ID_SCOPE, dataDir, HOST, httpsPort, HOST, POLICY, policyKey, HUB, ownerKey, groupKey);
    }

    /** Starts the gateway and waits for its HTTPS listener; returns how long that took, in milliseconds. */
    long start() throws Exception {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "start", "--config", config.toString()));
        process = Processes.start(command, log);
        Processes.awaitPort(HOST, httpsPort, process, 300_000);
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** Stops the gateway (its shutdown hook closes the store) and waits for the process to end. */
    synchronized void stop() {
        if (process != null) {
            Processes.stop(process);
            process = null;
        }
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    long pid() {
        return process.pid();
    }

    long heapUsedAfterGc() throws Exception {
        return Processes.heapUsedAfterGc(process.pid());
    }

    /** User plus system CPU the gateway process has used so far, in nanoseconds. */
    long cpuNanos() throws Exception {
        return Processes.cpuNanos(process.pid());
    }

    long rssBytes() throws Exception {
        return Processes.rssBytes(process.pid());
    }

    /** Bytes the store's files take on disk. */
    long storeBytes() throws Exception {
        try (var files = Files.walk(dataDir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(".db"))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }

    Path config() {
        return config;
    }

    Path caFile() {
        return dataDir.resolve("tls").resolve("ca.pem");
    }

    Path jar() {
        return jar;
    }

    int httpsPort() {
        return httpsPort;
    }

    String policyKey() {
        return policyKey;
    }

    String warmupGroupKey() {
        return warmupGroupKey;
    }

    @Override
    public void close() {
        stop();
    }
}
