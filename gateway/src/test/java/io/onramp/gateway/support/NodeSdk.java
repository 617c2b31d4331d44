package io.onramp.gateway.support;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The official Azure IoT Node SDK, unmodified: {@code src/test/node} holds a device script and the lock file of
 * the SDK's packages, which {@code npm ci} installs under {@code target/node-sdk} the first time a test asks.
 * Node and npm come from the machine ({@code .ci/run} installs Debian's {@code nodejs} and {@code npm}).
 */
public final class NodeSdk {

    private static final Path SOURCES = Path.of("src/test/node");
    private static final Path INSTALLED = Path.of("target/node-sdk");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "device-flow.js",
            "x509-flow.js", "transports.js", "steps.js");

    private NodeSdk() {}

    /** Installs the packages of the lock file once (a changed lock file installs them again). */
    public static synchronized Path install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALLED);
        Path lock = INSTALLED.resolve("package-lock.json");
        boolean current = Files.isDirectory(INSTALLED.resolve("node_modules")) && Files.exists(lock)
                && Files.mismatch(lock, SOURCES.resolve("package-lock.json")) == -1;
        for (String file : FILES) {
            Files.copy(SOURCES.resolve(file), INSTALLED.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!current) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(INSTALLED.toFile())
                    .redirectErrorStream(true).redirectOutput(INSTALLED.resolve("npm.log").toFile()).start();
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci failed in " + INSTALLED.toAbsolutePath() + ": "
                        + Files.readString(INSTALLED.resolve("npm.log")));
            }
        }
        return INSTALLED;
    }

    /** A running device script: its JSON lines as they come. */
    public static final class Device implements AutoCloseable {

        private final Process process;
        private final BlockingQueue<JsonObject> steps = new LinkedBlockingQueue<>();

        private Device(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        steps.add(line.startsWith("{") ? new JsonObject(line)
                                : new JsonObject().put("step", "output").put("line", line));
                    }
                } catch (IOException e) {
                    steps.add(new JsonObject().put("step", "error").put("message", e.toString()));
                }
            }, "node-device-output");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Starts {@code device-flow.js} with the gateway's CA trusted ({@code NODE_EXTRA_CA_CERTS}, as the README
         * tells Node users).
         */
        public static Device start(Path caFile, String transport, String host, String idScope, String registrationId,
                String deviceKey) throws IOException, InterruptedException {
            return run(caFile, "device-flow.js", transport, host, idScope, registrationId, deviceKey);
        }

        /** Starts {@code x509-flow.js}: provisioning with the certificate and key in these PEM files, then telemetry. */
        public static Device startX509(Path caFile, String transport, String host, String idScope, String registrationId,
                Path certificate, Path key) throws IOException, InterruptedException {
            return run(caFile, "x509-flow.js", transport, host, idScope, registrationId,
                    certificate.toAbsolutePath().toString(), key.toAbsolutePath().toString());
        }

        private static Device run(Path caFile, String script, String... arguments) throws IOException, InterruptedException {
            Path dir = install();
            List<String> command = new java.util.ArrayList<>(List.of("node", script));
            command.addAll(List.of(arguments));
            ProcessBuilder node = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            node.environment().put("NODE_EXTRA_CA_CERTS", caFile.toAbsolutePath().toString());
            return new Device(node.start());
        }

        /** The next step the device reports, which must be {@code step}; its error, or the lack of one, fails. */
        public JsonObject expect(String step) throws InterruptedException {
            return expectInAnyOrder(step).get(step);
        }

        /** The next steps the device reports, in any order (its own console lines skipped): answers them by name. */
        public Map<String, JsonObject> expectInAnyOrder(String... wanted) throws InterruptedException {
            Map<String, JsonObject> seen = new HashMap<>();
            Set<String> due = new HashSet<>(List.of(wanted));
            while (!due.isEmpty()) {
                JsonObject next = steps.poll(60, TimeUnit.SECONDS);
                if (next == null) {
                    throw new AssertionError("the Node device reported nothing for 60 s, waiting for " + due);
                }
                String step = next.getString("step");
                if (step.equals("output")) {
                    continue;
                }
                if (!due.remove(step)) {
                    throw new AssertionError("the Node device reported " + next.encode() + " where one of " + due + " was due");
                }
                seen.put(step, next);
            }
            return seen;
        }

        public int exitCode() throws InterruptedException {
            return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
