package io.onramp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One {@code onramp start} process of its own (the test's class path), its output (log included) collected as it
 * comes: for what only a process shows, its stop on a signal and its death by SIGKILL.
 */
public final class GatewayProcess {

    private final Process process;
    private final StringBuffer seen;
    private final Thread reader;

    private GatewayProcess(Process process, StringBuffer seen, Thread reader) {
        this.process = process;
        this.seen = seen;
        this.reader = reader;
    }

    /**
     * Writes {@code file}: a gateway listening for HTTPS on port 443 of {@code address} and {@code hub}, hosting that
     * hub, with one symmetric-key group; data under {@code dataDir}, ID scope {@link TestGateway#ID_SCOPE}.
     */
    public static Path writeConfig(Path file, Path dataDir, String address, String hub, String ownerKey,
            String groupKey) throws Exception {
        return Files.writeString(file, """
            idScope: %s
            dataDir: %s
            listen: { address: [%s, %s], https: 443, mqtts: -1, amqps: -1 }
            tls: { hostNames: [%s, %s] }
            hubs: [ { name: hub, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: line
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(TestGateway.ID_SCOPE, dataDir, address, hub, address, hub, hub, ownerKey, groupKey));
    }

    /** The self-made CA devices trust, under {@code dataDir} from the first start on. */
    public static Path caFile(Path dataDir) {
        return dataDir.resolve("tls").resolve("ca.pem");
    }

    /** Starts {@code onramp start --config config} and returns once its banner says it runs. */
    public static GatewayProcess start(Path config) throws Exception {
        return start(config, Map.of());
    }

    /** {@link #start(Path)} with {@code environment} added to this JVM's. */
    public static GatewayProcess start(Path config, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "io.onramp.gateway.app.Main", "start", "--config",
                config.toString()).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        StringBuffer seen = new StringBuffer();
        CountDownLatch running = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    seen.append(line).append('\n');
                    if (line.startsWith("Onramp is running")) {
                        running.countDown();
                    }
                }
            } catch (Exception e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        if (!running.await(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("onramp did not start:\n" + seen);
        }
        // the banner comes after the start's log lines, but the log is written in batches: let them come
        Thread.sleep(500);
        return new GatewayProcess(process, seen, reader);
    }

    public String output() {
        return seen.toString();
    }

    /** SIGTERM, as systemctl stop does; answers everything it printed. */
    public String terminate() throws Exception {
        // Through its handle: Process.destroy() also closes our end of its output, losing the lines of its stop.
        process.toHandle().destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
        return output() + "\nexit " + process.exitValue();
    }

    /** Waits for the process to end on its own; its exit code. */
    public int awaitExit(long seconds) throws Exception {
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("onramp ended on its own:%n%s", seen).isTrue();
        reader.join(10_000);
        return process.exitValue();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no stop runs, nothing is flushed or closed. */
    public void kill() throws Exception {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
    }
}
