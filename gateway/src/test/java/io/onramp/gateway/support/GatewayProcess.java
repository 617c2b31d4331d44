package io.onramp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

    /** Starts {@code onramp start --config config} and returns once its banner says it runs. */
    public static GatewayProcess start(Path config) throws Exception {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "io.onramp.gateway.app.Main", "start", "--config",
                config.toString()).redirectErrorStream(true).start();
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

    /** SIGKILL: no stop runs, nothing is flushed or closed. */
    public void kill() throws Exception {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(10_000);
    }
}
